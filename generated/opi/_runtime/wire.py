"""How a value is written as text on the wire: in a path, a query, a header or a form field."""

from __future__ import annotations

import json
from typing import Any


def text(value: Any) -> str:
    """`true`/`false` for booleans, compact JSON for objects and arrays, `str()` for the rest."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return str(value)
