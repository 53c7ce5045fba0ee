"""The `text` body kind: one string parameter sent as the whole body, UTF-8, under its `text/*` type."""

from __future__ import annotations

from collections.abc import Mapping

import pydantic

from ..uploads import Upload

MEDIA_TYPE = "text/plain"


def encode(payload: pydantic.BaseModel, files: Mapping[str, Upload], media: str | None) -> tuple[bytes, str]:
    dumped = payload.model_dump(mode="json", by_alias=True, exclude_none=True)
    value = next(iter(dumped.values()), "")  # the one body parameter
    return str(value).encode("utf-8"), f"{media or MEDIA_TYPE}; charset=utf-8"
