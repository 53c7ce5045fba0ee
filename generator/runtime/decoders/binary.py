"""The `binary` answer kind (a PDF, an image, any file): a `Download` with the bytes or the saved path."""

from __future__ import annotations

from typing import Any

from ..download import Download, Saved, filename_of
from ..response import RawResponse, media_type


def decode(operation: str, raw: RawResponse, model: Any) -> Download:
    media = media_type(raw.headers) or "application/octet-stream"
    name = filename_of(raw.headers)
    if isinstance(raw, Saved):  # streamed to the call's `out=`
        return Download(b"", media, name, raw.path, raw.size, raw)
    return Download(raw.content, media, name, None, len(raw.content), raw)
