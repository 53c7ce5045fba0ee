"""`cursor`: the answer's `next` field holds the next page's position, sent back in the parameter."""

from __future__ import annotations

from typing import Any

from .base import PagingKind


class Cursor(PagingKind):
    name = "cursor"
    next_in: str | None = "answer"
    numbered = False
    wording = "by cursor: each page names the next one's position in `{next}`, sent back as `{parameter}`"

    def begin(self, position: Any, size: int, start: int, records: list[Any], key: str | None) -> int:
        if position is None:
            return 0
        text = str(position)
        return int(text[1:]) if text[:1] == "c" and text[1:].isdigit() else len(records)

    def following(self, end: int, records: list[Any]) -> Any:
        return f"c{end}" if end < len(records) else None


KIND = Cursor()
