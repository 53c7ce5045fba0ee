"""The `empty` answer kind (204, or a 2xx without a body): the method returns None, or, when the spec
names answer headers, a frozen model of them (`answer_headers.py`)."""

from __future__ import annotations

from typing import Any

from ..answer_headers import read
from ..response import RawResponse


def decode(operation: str, raw: RawResponse, model: Any) -> Any:
    """Whatever body came is ignored (`raw_response` of errors still carries bodies)."""
    return None if model is None else read(operation, raw, model)
