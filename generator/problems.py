"""Errors as values: every stage reports `Problem`s instead of raising, so all are shown together."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Protocol, TypeAlias

JsonPath: TypeAlias = tuple[str | int, ...]


_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_$-]+$")


def format_path(path: JsonPath) -> str:
    """JSONPath of a node: `$.methods[2].name`; keys with spaces or dots are quoted: `$.a["b c"]`."""
    out = "$"
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.match(part):
            out += f".{part}"
        else:
            out += f"[{json.dumps(part, ensure_ascii=False)}]"
    return out


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    col: int
    message: str
    path: str = "$"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message} (at {self.path})"


class Reporter(Protocol):
    """Where a rule reports what it finds (the checker's context; kinds' rules take it too)."""

    def add(self, path: JsonPath, message: str, *, key: bool = False) -> None: ...


def show(value: Any) -> str:
    """A spec value quoted in a message."""
    return json.dumps(value, ensure_ascii=False, default=str)


class SpecError(Exception):
    """Raised by a stage that cannot go on; carries every problem found so far."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
