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


def brackets(name: str, value: Any) -> list[tuple[str, str]]:
    """Objects and arrays in bracket notation, as PHP-style servers read them: `metadata[order_id]=37`,
    `items[0][sku]=A1`, `expand[]=charge` (an array of scalars); scalars as `text`."""
    if isinstance(value, dict):
        return [pair for k, v in value.items() if v is not None for pair in brackets(f"{name}[{k}]", v)]
    if isinstance(value, list):
        if all(not isinstance(v, dict | list) for v in value):
            return [(f"{name}[]", text(v)) for v in value]
        return [pair for i, v in enumerate(value) for pair in brackets(f"{name}[{i}]", v)]
    return [(name, text(value))]
