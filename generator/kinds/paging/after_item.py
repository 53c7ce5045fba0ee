"""`after_item`: the next page starts after the last item, named by its `next` field."""

from __future__ import annotations

from typing import Any

from .base import PagingKind


class AfterItem(PagingKind):
    name = "after_item"
    next_in = "item"
    numbered = False
    wording = "after the last item: the next page is asked with `{parameter}` set to the last item's `{next}`"

    def begin(self, position: Any, size: int, start: int, records: list[Any], key: str | None) -> int:
        if position is None:
            return 0
        for i, record in enumerate(records):
            if isinstance(record, dict) and key is not None and str(record.get(key)) == str(position):
                return i + 1
        return len(records)


KIND = AfterItem()
