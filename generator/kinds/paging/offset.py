"""`offset`: `parameter` is how many items to skip."""

from __future__ import annotations

from typing import Any

from .base import PagingKind


class Offset(PagingKind):
    name = "offset"
    next_in = None
    numbered = True
    wording = "by offset: `{parameter}` is the number of items to skip, advanced by each page's item count"

    def begin(self, position: Any, size: int, start: int, records: list[Any], key: str | None) -> int:
        return max(0, (start if position is None else int(position)) - start)


KIND = Offset()
