"""`after_item`: the next page starts after the last item, named by one of its fields (a
`starting_after` parameter given the last item's `id`); usually with a `has_more` flag."""

from __future__ import annotations

from typing import Any

from .base import PageView


class AfterItem:
    name = "after_item"

    def first(self, paging: Any, given: Any) -> Any:
        return given

    def next(self, paging: Any, page: PageView, item_field: Any) -> Any:
        found = item_field(page.items[-1], paging.next)
        # As text: ids travel in query strings, and a numeric parameter reads its text back as a number.
        return None if found in (None, "") else str(found)


KIND = AfterItem()
