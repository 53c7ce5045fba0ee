"""The `multipart` body kind (`multipart/form-data`): plain fields as text parts, files as file parts
with their names and media types, streamed by httpx's multipart encoder."""

from __future__ import annotations

from collections.abc import Mapping

import pydantic

from ..uploads import MultipartBody, Upload
from ..wire import text


def encode(
    payload: pydantic.BaseModel, files: Mapping[str, Upload], media: str | None
) -> tuple[MultipartBody, str]:
    dumped = payload.model_dump(mode="json", by_alias=True, exclude_none=True)
    return MultipartBody({k: text(v) for k, v in dumped.items()}, files), ""  # httpx names the boundary
