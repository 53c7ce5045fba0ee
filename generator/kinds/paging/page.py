"""`page`: `parameter` is the page number, counted from `start`."""

from __future__ import annotations

from typing import Any

from .base import PagingKind


class PageNumber(PagingKind):
    name = "page"
    next_in = None
    numbered = True
    wording = "by page number: `{parameter}` counts the pages from {start}"

    def begin(self, position: Any, size: int, start: int, records: list[Any], key: str | None) -> int:
        return max(0, ((start if position is None else int(position)) - start) * size)


KIND = PageNumber()
