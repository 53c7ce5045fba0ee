"""`--option` text for a parameter whose schema is a union of shapes (`oneOf` / `anyOf`).

The text is read as JSON when it is JSON (`42`, `true`, `{"id": "u1"}`, `"007"`), otherwise it is the string
itself (`end`, `/docs`). The client's models then choose the variant and reject a value that fits none.
"""

from __future__ import annotations

import json
from typing import Any

UNION = "union"  # the CLI kind of such an option (ir.TypeRef.cli)


def union_value(text: str) -> Any:
    stripped = text.strip()
    try:
        return json.loads(stripped)
    except ValueError:
        return text
