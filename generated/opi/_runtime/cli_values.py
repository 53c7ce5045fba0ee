"""Turning `--option` text into the typed values the client methods take.

Rules (the same for every provider):
- boolean: `true`/`false` (also `yes`/`no`, `1`/`0`), any case;
- integer and number: spaces anywhere are ignored (`1 000`), a number may use a comma as the decimal
  mark (`10,5`);
- date and datetime: ISO 8601 (`2024-10-11`, `2024-10-11T12:00:00+07:00`), checked here and passed on as
  the text given, so it reaches the wire exactly as written (`.139Z` is not rewritten as `.139000Z`);
- objects and arrays: JSON text, or a path to a file holding the JSON (also as `@FILE`);
- a single value where an array is expected becomes a one-item array, and a repeated option adds items.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from .cli_table import Option, value_text
from .cli_unions import UNION, union_value

_INTEGER = re.compile(r"[+-]?\d+")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_TRUE = frozenset({"true", "yes", "1"})
_FALSE = frozenset({"false", "no", "0"})
BOOLEAN_WORDS = _TRUE | _FALSE


class BadValue(ValueError):
    """A value the option cannot take; the message names the option and what it expects."""


def _shown(text: str, option: Option) -> str:
    if option.secret:
        return "***"
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _fail(option: Option, expected: str, text: str) -> BadValue:
    return BadValue(f"--{option.name}: expected {expected}, got {_shown(text, option)}")


def _integer(option: Option, text: str) -> int:
    compact = "".join(text.split())
    if not _INTEGER.fullmatch(compact):
        raise _fail(option, "integer", text)
    return int(compact)


def _number(option: Option, text: str) -> int | float:
    compact = "".join(text.split())
    if compact.count(",") == 1 and "." not in compact:
        compact = compact.replace(",", ".")
    if not _NUMBER.fullmatch(compact):
        raise _fail(option, "number", text)
    if _INTEGER.fullmatch(compact):
        return int(compact)
    return float(compact)


def _boolean(option: Option, text: str) -> bool:
    word = text.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise _fail(option, "true or false", text)


def _date(option: Option, text: str) -> str:
    try:
        dt.date.fromisoformat(text.strip())
    except ValueError:
        raise _fail(option, "ISO 8601 date (YYYY-MM-DD)", text) from None
    return text.strip()


def _datetime(option: Option, text: str) -> str:
    try:
        dt.datetime.fromisoformat(text.strip())
        return text.strip()
    except ValueError:
        raise _fail(option, "ISO 8601 date and time (YYYY-MM-DDTHH:MM:SS+HH:MM)", text) from None


def _json(option: Option, text: str, expected: str) -> Any:
    """JSON text, or the JSON held in the file `text` names."""
    stripped = text.strip()
    if stripped[:1] in ("{", "[", '"'):
        try:
            return json.loads(stripped)
        except ValueError as exc:
            raise BadValue(f"--{option.name}: expected {expected}; invalid JSON: {exc}") from None
    path = Path(stripped.removeprefix("@"))  # `@FILE` as for union options, or the path itself
    if stripped and path.is_file():
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise BadValue(f"--{option.name}: cannot read {stripped}: {exc}") from None
        except ValueError as exc:
            raise BadValue(f"--{option.name}: {stripped} holds invalid JSON: {exc}") from None
    if stripped.lower().endswith(".json"):
        raise BadValue(f"--{option.name}: file not found: {stripped}")
    try:
        return json.loads(stripped)
    except ValueError:
        raise _fail(option, f"{expected} (JSON text or a path to a .json file)", text) from None


def _file(option: Option, text: str) -> Path | bytes:
    """A file option: the path of a file (streamed from disk), else its content as Base64 text."""
    path = Path(text)
    if text and path.is_file():
        return path
    try:
        if text.strip():
            return base64.b64decode(text.strip(), validate=True)
    except ValueError:
        pass
    raise _fail(option, "the path of a file, or its content as Base64 text", text)


_SCALARS = {
    "integer": _integer,
    "number": _number,
    "boolean": _boolean,
    "date": _date,
    "datetime": _datetime,
    "file": _file,
}


def _scalar(option: Option, text: str) -> Any:
    if option.kind == "string":
        return text
    if option.kind == UNION:
        try:
            return union_value(text)
        except ValueError as exc:
            raise BadValue(f"--{option.name}: {exc}") from None
    if option.kind == "json":
        value = _json(option, text, "a JSON object")
        if not isinstance(value, dict):
            raise _fail(option, "a JSON object (or a path to a .json file)", text)
        return value
    return _SCALARS[option.kind](option, text)


def _check_choice(option: Option, value: Any, text: str) -> None:
    if option.choices and value not in option.choices:
        allowed = ", ".join(value_text(c) for c in option.choices)
        raise _fail(option, f"one of {allowed}", text)


def _items(option: Option, text: str) -> list[Any]:
    """The elements one occurrence of an array option gives."""
    stripped = text.strip()
    looks_json = stripped.startswith("[") or (option.kind == "json" and stripped.startswith("{"))
    if looks_json or stripped.lower().endswith(".json"):
        value = _json(option, text, "a JSON array")
        items = value if isinstance(value, list) else [value]
        if option.kind == "json" and not all(isinstance(i, dict) for i in items):
            raise _fail(option, "a JSON array of objects (or a path to a .json file)", text)
        return items
    return [_scalar(option, text)]


def convert(option: Option, texts: list[str]) -> Any:
    """The value of `option` given (possibly repeated) as `texts`."""
    if option.array:
        values: list[Any] = []
        for text in texts:
            items = _items(option, text)
            for item in items:
                _check_choice(option, item, text)
            values.extend(items)
        return values
    if len(texts) > 1:
        raise BadValue(f"--{option.name}: given {len(texts)} times; it takes one value")
    value = _scalar(option, texts[0])
    _check_choice(option, value, texts[0])
    return value
