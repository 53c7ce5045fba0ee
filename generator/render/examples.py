"""Example values as source text: Python literals, bash and Windows batch arguments, shortened secrets.

The docs' examples are executed by the test suite, so these functions must produce text that runs as shown.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

# Examples are laid out as ruff formats them (the pipeline runs ruff on Markdown code blocks too), so the
# page shown is the page tested. Ruff keeps a wrapped collection that ends with a comma and wraps
# anything longer than its line length; wrapping earlier than it would is therefore always stable.
WIDTH = 100
_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def shorten_secret(value: str) -> str:
    """The first part of a secret and '...': enough to recognise its shape, never the whole value."""
    if value.endswith("..."):
        return value
    keep = max(4, min(10, len(value) // 2))
    return value[:keep] + "..."


def py_str(text: str) -> str:
    """A Python string literal in ruff's style: double quotes unless single ones need fewer escapes."""
    quote = "'" if text.count('"') > text.count("'") else '"'
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif char == quote:
            out.append("\\" + char)
        elif ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 or char in "\u2028\u2029":
            out.append(f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return quote + "".join(out) + quote


def py_literal(value: Any, indent: int = 0, lead: int = 0) -> str:
    """A Python literal for a JSON-like value starting `lead` characters into a line indented by `indent`,
    wrapped one item per line (with a trailing comma) when it would not fit."""
    flat = _py_flat(value)
    if indent + lead + width(flat) + 1 <= WIDTH or not isinstance(value, dict | list) or not value:
        return flat
    pad = " " * (indent + 4)
    if isinstance(value, dict):
        items = []
        for k, v in value.items():
            key = _py_flat(str(k)) + ": "
            items.append(f"{pad}{key}{py_literal(v, indent + 4, len(key))}")
        return "{\n" + ",\n".join(items) + ",\n" + " " * indent + "}"
    items = [f"{pad}{py_literal(v, indent + 4)}" for v in value]
    return "[\n" + ",\n".join(items) + ",\n" + " " * indent + "]"


def py_call(head: str, args: list[str], indent: int, tail: str = "") -> str:
    """`head(args)tail` on one line when it fits, else one argument per line with a trailing comma."""
    pad = " " * indent
    one_line = f"{pad}{head}({', '.join(args)}){tail}"
    if width(one_line) <= WIDTH and "\n" not in one_line:
        return one_line
    inner = " " * (indent + 4)
    return f"{pad}{head}(\n" + "".join(f"{inner}{a},\n" for a in args) + f"{pad}){tail}"


def width(text: str) -> int:
    """Columns a line takes, as ruff counts them (East Asian wide characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _py_flat(value: Any) -> str:
    if isinstance(value, str):
        return py_str(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_py_flat(str(k))}: {_py_flat(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_py_flat(v) for v in value) + "]"
    return repr(value)


def cli_text(value: Any, kind: str) -> tuple[str, bool]:
    """The CLI's text for a value, and whether it must be quoted (strings and JSON are, numbers are not)."""
    if kind == "json" or isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False), True
    if isinstance(value, bool):
        return ("true" if value else "false"), False
    if isinstance(value, int | float) and kind in ("integer", "number"):
        return json.dumps(value), False
    return str(value), True


# Characters a shell or cmd.exe line cannot show as themselves: a line break would end the command (or
# the comment it is in) and run the rest as a command of its own; other controls act on the terminal.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def bash_arg(text: str, quoted: bool, *, json_text: bool = False) -> str:
    """A bash word: JSON in single quotes, other strings in double quotes, numbers and booleans bare;
    text with a line break or another control character in ANSI-C quotes ($'...'), so it stays one line."""
    if not quoted:
        return text
    if _CONTROL.search(text):
        return "$'" + "".join(_ansi_c(c) for c in text) + "'"
    if json_text:
        return "'" + text.replace("'", "'\\''") + "'"
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$").replace("`", "\\`")
    return f'"{escaped}"'


def _ansi_c(char: str) -> str:
    if char in "\\'":
        return "\\" + char
    if _CONTROL.match(char):
        return f"\\x{ord(char):02x}" if ord(char) < 0x80 else f"\\u{ord(char):04x}"
    return char


def batch_text(text: str) -> str:
    """Text on a cmd.exe line. cmd cannot pass a line break or other control character at all; it is shown
    as its escape (\\n, \\x1b) rather than let a line break end the line and run the rest as a command."""
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


def batch_arg(text: str, quoted: bool) -> str:
    """A cmd.exe word in double quotes: inner quotes as \\" (C runtime rule), % doubled for .bat files."""
    if not quoted:
        return text
    text = batch_text(text)
    # The C runtime doubles backslashes only before a quote (an inner one, or the closing one).
    escaped = re.sub(r'(\\*)"', lambda m: m.group(1) * 2 + '\\"', text)
    escaped = re.sub(r"(\\+)$", lambda m: m.group(1) * 2, escaped).replace("%", "%%")
    return f'"{escaped}"'
