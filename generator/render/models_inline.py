"""Constrained variants of an inline union, written into the fields that use them.

The model generator gives a union member with constraints (`{type: integer, minimum: 0}` in a `oneOf`) a
RootModel class of its own, named after the field (`class Position(RootModel[int])`), so an answer would hold
`Position(root=3)` instead of `3`. pydantic validates `Annotated[int, Field(ge=0)] | Literal["end"]` directly,
so each such class is replaced by its `root` annotation in the field annotations that name it (found with
`ast`, so docstrings are never touched) and dropped.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection

_ROOT_CLASS = re.compile(
    r'^class (\w+)\(RootModel\[[^\n]*\]\):\n    root: (Annotated\[[^\n]*\])\n(?:    """\n(?:[^\n]*\n)*?    """\n)?',
    re.MULTILINE,
)


def inline_root_models(code: str, named: Collection[str]) -> str:
    """`code` with every constrained RootModel that is not a spec schema (`named`) inlined where it is used."""
    found = {m.group(1): m for m in _ROOT_CLASS.finditer(code) if m.group(1) not in named}
    if not found:
        return code
    word = re.compile(r"\b(" + "|".join(map(re.escape, sorted(found))) + r")\b")
    lines = [line.encode() for line in code.splitlines(keepends=True)]  # ast columns count UTF-8 bytes
    edits: list[tuple[int, int, int, bytes]] = []  # (line, start, end, new text)
    for node in ast.walk(ast.parse(code)):
        ann = node.annotation if isinstance(node, ast.AnnAssign) else None
        if ann is not None and ann.end_lineno == ann.lineno and ann.end_col_offset is not None:
            row, start, end = ann.lineno - 1, ann.col_offset, ann.end_col_offset
            text = lines[row][start:end].decode()
            new = word.sub(lambda m: found[m.group(1)].group(2), text)
            if new != text:
                edits.append((row, start, end, new.encode()))
    elsewhere = re.compile(r"^(?:(?:" + word.pattern + r")\.|class \w+\((?:" + word.pattern + r")\))", re.MULTILINE)
    if elsewhere.search(code):
        return code  # rebuilt or subclassed: leave the classes as they are
    for row, start, end, replacement in sorted(edits, reverse=True):
        lines[row] = lines[row][:start] + replacement + lines[row][end:]
    out = b"".join(lines).decode()
    for match in found.values():
        out = out.replace(match.group(0), "", 1)
    return out

