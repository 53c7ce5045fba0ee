"""Errors as values: every stage reports `Problem`s instead of raising, so all are shown together."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

JsonPath: TypeAlias = tuple[str | int, ...]


def format_path(path: JsonPath) -> str:
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
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


class SpecError(Exception):
    """Raised by a stage that cannot go on; carries every problem found so far."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
