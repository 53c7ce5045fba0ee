"""`offset`: the position is how many items to skip (`skip`, `start`, `offset`); the next
page's offset is this one's plus the items it held."""

from __future__ import annotations

from typing import Any

from .base import PageView


class Offset:
    name = "offset"

    def first(self, paging: Any, given: Any) -> Any:
        return paging.start if given is None else given

    def next(self, paging: Any, page: PageView, item_field: Any) -> Any:
        return int(page.position) + len(page.items)


KIND = Offset()
