"""`--option` text for a parameter whose schema is a union of shapes (`oneOf` / `anyOf`).

The text is read as JSON when it is JSON (`42`, `true`, `{"id": "u1"}`, `"007"`), otherwise it is the string
itself (`end`, `/docs`). `@FILE` reads the value from a file (its JSON, or else its text), and so does the
path of an existing `.json` file, as for object options; a text that starts with `@` is given as a JSON
string (`'"@name"'`). The client's models then choose the variant and reject a value that fits none.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

UNION = "union"  # the CLI kind of such an option (ir.TypeRef.cli)


def _from_file(name: str) -> Any:
    path = Path(name)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"file not found: {name}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read {name}: {exc}") from None
    try:
        return json.loads(text)
    except ValueError:
        if path.suffix.lower() == ".json":
            raise ValueError(f"{name} holds invalid JSON") from None
        return text.removesuffix("\n")


def union_value(text: str) -> Any:
    """The value of a union option's text; ValueError (without the option's name) when a file fails."""
    stripped = text.strip()
    if stripped.startswith("@"):
        return _from_file(stripped[1:])
    try:
        return json.loads(stripped)
    except ValueError:
        pass
    if stripped.lower().endswith(".json") and Path(stripped).is_file():
        return _from_file(stripped)
    return text
