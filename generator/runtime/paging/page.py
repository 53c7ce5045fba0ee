"""`page`: the position is a page number; the next page is the number after it."""

from __future__ import annotations

from typing import Any

from .base import PageView


class PageNumber:
    name = "page"

    def first(self, paging: Any, given: Any) -> Any:
        return paging.start if given is None else given

    def next(self, paging: Any, page: PageView, item_field: Any) -> Any:
        return int(page.position) + 1


KIND = PageNumber()
