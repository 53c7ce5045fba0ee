"""The `binary` body kind: one file sent as the whole body (`application/octet-stream` or the method's
declared media type), streamed from a path or file object."""

from __future__ import annotations

from collections.abc import Mapping

import pydantic

from ..uploads import FileBody, Upload

MEDIA_TYPE = "application/octet-stream"


def encode(
    payload: pydantic.BaseModel, files: Mapping[str, Upload], media: str | None
) -> tuple[FileBody, str]:
    (upload,) = files.values()  # the spec declares exactly one file parameter; it is required
    return FileBody(upload), media or MEDIA_TYPE
