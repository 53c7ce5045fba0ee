"""The `empty` answer kind (204, or a 2xx without a body): the method returns None."""

from __future__ import annotations

from typing import Any

from ..response import RawResponse


def decode(operation: str, raw: RawResponse, model: Any) -> None:
    """Nothing to read: whatever body came is ignored (`raw_response` of errors still carries bodies)."""
    return None
