"""The `empty` answer kind (204, or a 2xx without a body): the method returns None, or, when the spec
names answer headers, a frozen model of them (`answer_headers.py`)."""

from __future__ import annotations

from typing import Any

from ..response import RawResponse


def decode(operation: str, raw: RawResponse, model: Any) -> Any:
    """Whatever body came is ignored (`raw_response` of errors still carries bodies)."""
    if model is None:
        return None
    # Here, not at the top: it imports the models' base class, which importing a client must not pay for.
    from ..answer_headers import read

    return read(operation, raw, model)
