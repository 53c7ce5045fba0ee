"""`cursor`: the answer names the next page's position in a field (`next_cursor`,
`nextPageToken`); the position parameter sends it back. A missing or empty cursor ends the list."""

from __future__ import annotations

from typing import Any

from .base import PageView


class Cursor:
    name = "cursor"

    def first(self, paging: Any, given: Any) -> Any:
        return given

    def next(self, paging: Any, page: PageView, item_field: Any) -> Any:
        found = page.field(paging.next)
        return found if found not in (None, "") else None


KIND = Cursor()
