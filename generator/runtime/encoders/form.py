"""The `form` body kind: the model's top-level fields URL-encoded, nested values in bracket notation."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

import pydantic

from ..uploads import Upload
from ..wire import brackets

MEDIA_TYPE = "application/x-www-form-urlencoded"


def encode(payload: pydantic.BaseModel, files: Mapping[str, Upload], media: str | None) -> tuple[bytes, str]:
    dumped = payload.model_dump(mode="json", by_alias=True, exclude_none=True)
    # Nested values only where the spec declares `body.style: brackets` (the checker allows them only then).
    pairs = [pair for k, v in dumped.items() for pair in brackets(k, v)]
    return urlencode(pairs).encode("ascii"), MEDIA_TYPE
