"""What a pagination style sees of one page, and the interface every style implements."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol


class PageView:
    """One page as the walker read it: the position it was asked with, its items and a field reader."""

    __slots__ = ("args", "field", "headers", "items", "op", "position", "query", "url")

    def __init__(
        self,
        position: Any,
        args: Mapping[str, Any],
        items: Sequence[Any],
        field: Any,
        headers: Mapping[str, str] | None = None,
        query: Mapping[str, str] | None = None,
        op: str = "",
        url: str = "",
    ) -> None:
        self.position = position  # the value the position parameter had for this page (None: the first)
        self.args = args  # the call's keywords for this page
        self.items = items
        self.field = field  # field(path) -> the value at a dotted wire path of the answer, or None
        self.headers = headers or {}  # the answer's headers
        self.query = query or {}  # the operation's query parameters: wire name -> Python keyword
        self.op = op  # the operation's name, for messages
        self.url = url  # the URL this page came from ("" when unknown)


class Style(Protocol):
    name: str

    def first(self, paging: Any, given: Any) -> Any:
        """The position of the first page, from the value the caller gave (None: none given)."""

    def next(self, paging: Any, page: PageView, item_field: Any) -> Any:
        """The position of the page after `page`, or None when `page` is the last."""
