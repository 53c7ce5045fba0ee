"""The `text` answer kind (`text/plain`, `text/csv`, ...): the body decoded as a `str`."""

from __future__ import annotations

import codecs
from email.message import Message
from typing import Any

from ..errors import ResponseValidationError
from ..response import RawResponse


def charset(content_type: str) -> str:
    """The `charset` of a Content-Type, if it names a known codec; else UTF-8."""
    message = Message()
    message["content-type"] = content_type or "text/plain"
    found = message.get_content_charset() or "utf-8"
    try:
        return codecs.lookup(found).name
    except LookupError:
        return "utf-8"


def decode(operation: str, raw: RawResponse, model: Any) -> str:
    try:
        return raw.content.decode(charset(raw.headers.get("content-type", "")))
    except UnicodeDecodeError:
        raise ResponseValidationError(
            f"{operation}: HTTP {raw.status_code} succeeded but the text answer is not in its charset; "
            "the raw answer is in .raw",
            operation=operation,
            raw=raw,
        ) from None
