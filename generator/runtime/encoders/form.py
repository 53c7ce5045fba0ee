"""The `form` body kind: the model's top-level fields URL-encoded, nested values as compact JSON text."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

import pydantic

from ..uploads import Upload
from ..wire import text

MEDIA_TYPE = "application/x-www-form-urlencoded"


def encode(payload: pydantic.BaseModel, files: Mapping[str, Upload], media: str | None) -> tuple[bytes, str]:
    dumped = payload.model_dump(mode="json", by_alias=True, exclude_none=True)
    return urlencode([(k, text(v)) for k, v in dumped.items()]).encode("ascii"), MEDIA_TYPE
