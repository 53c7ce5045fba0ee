"""Whole lists, page by page: the paging record of an operation, the walker and its two drivers.

An operation that pages carries a `Paging` record under `op.features["paging"]`. The `Walker` is sans-I/O:
it says which keywords the next page is asked with (`request`), and reads each page the driver fetched
(`take`): its items, the next position (from the style, `paging/`) and whether it was the last. The drivers
`iter_pages` and `aiter_pages` are thin loops that fetch each page with the client's ordinary call (so a page
is validated, authenticated and retried like any read) and hand it on; `iter_items` and `aiter_items` yield
the items of those pages one by one. Only one page is held at a time, so memory stays flat however long the
list is. A position that comes back a second time, a page identical to the one before, or more than
`max_pages` pages raise `PaginationError` instead of looping forever; the items yielded before stay yielded.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from .errors import OpiError
from .paging import REGISTRY, PageView
from .response import RawResponse
from .spec import QUERY, Operation

if TYPE_CHECKING:
    from .client import AsyncClient, SyncClient

__all__ = [
    "DEFAULT_MAX_PAGES",
    "PaginationError",
    "Paging",
    "aiter_items",
    "aiter_pages",
    "iter_items",
    "iter_pages",
]

FEATURE = "paging"  # the key of an operation's paging record in `Operation.features`
DEFAULT_MAX_PAGES = 100_000


class PaginationError(OpiError):
    """A list did not end the way its spec says (a repeated position, the same page twice, too many pages)."""


class Paging:
    """How one operation pages: `style` is a key of `paging.REGISTRY`; paths are dotted wire names of the
    answer (`next` of an item for `after_item`); `parameter` and `limit` are Python keywords."""

    __slots__ = ("has_more", "items", "limit", "next", "parameter", "short_page", "size", "start", "style")

    def __init__(
        self,
        style: str,
        items: str,
        parameter: str,
        *,
        next: str | None = None,  # the spec's own word for it
        limit: str | None = None,
        has_more: str | None = None,
        start: int = 0,
        short_page: bool = False,
        size: int | None = None,
    ) -> None:
        self.style = style
        self.items = items
        self.parameter = parameter
        self.next = next
        self.limit = limit
        self.has_more = has_more
        self.start = start
        self.short_page = short_page  # a page with fewer items than the limit asked for is the last
        self.size = size  # the page size when the call gives no limit (the limit parameter's default)

    def __repr__(self) -> str:
        return f"Paging({', '.join(f'{n}={getattr(self, n)!r}' for n in self.__slots__)})"


_ATTRS: dict[tuple[type, str], str | None] = {}


def _attr(cls: type, wire: str) -> str | None:
    """The attribute of a model class that holds the wire field `wire` (its alias or its own name)."""
    key = (cls, wire)
    if key not in _ATTRS:
        fields: Mapping[str, Any] = getattr(cls, "model_fields", {})
        found = next((n for n, f in fields.items() if f.alias == wire), None)
        _ATTRS[key] = found or (wire if wire in fields else None)
    return _ATTRS[key]


def read(value: Any, path: str | None) -> Any:
    """The value at a dotted wire path of a model, a mapping or a raw JSON answer; None when absent."""
    if path is None:
        return None
    if isinstance(value, RawResponse):
        value = value.json()
    for part in path.split(".") if path else ():  # "": the answer itself (a top-level list)
        if value is None:
            return None
        if isinstance(value, Mapping):
            value = value.get(part)
            continue
        name = _attr(type(value), part)
        if name is not None:
            value = getattr(value, name, None)
        else:
            extra = getattr(value, "model_extra", None)
            value = extra.get(part) if isinstance(extra, Mapping) else None
    return value


def _reader(page: Any) -> Any:
    """field(path) -> the value at a dotted wire path of one page."""
    return lambda path: read(page, path)


def _key(position: Any) -> Any:
    """A position as a set member (a next-page URL's keywords as sorted pairs)."""
    return (
        tuple(sorted((k, repr(v)) for k, v in position.items())) if isinstance(position, dict) else position
    )


class Walker:
    """The decisions of one walk through a list, page after page; no I/O."""

    def __init__(
        self, op: Operation[Any], args: Mapping[str, Any], max_items: int | None, max_pages: int
    ) -> None:
        paging = op.features.get(FEATURE)
        if not isinstance(paging, Paging):
            raise TypeError(f"{op.name} does not page")
        if max_items is not None and max_items < 0:
            raise ValueError("max_items must be 0 or more")
        if max_pages < 1:
            raise ValueError("max_pages must be 1 or more")
        self.op = op
        self.paging = paging
        self.style = REGISTRY[paging.style]
        self.args = dict(args)
        self.position = self.style.first(paging, self.args.get(paging.parameter))
        self.left = max_items
        self.max_pages = max_pages
        self.pages = 0
        self.seen: set[Any] = set()
        self.last_body: int | None = None
        self.done = max_items == 0
        self.size = self._page_size(op)
        self.pending: PageView | None = None  # the last page, until the next position is worked out
        self.query = {p.wire: p.name for p in op.params if p.location == QUERY}

    def _page_size(self, op: Operation[Any]) -> int | None:
        name = self.paging.limit
        if name is None or not self.paging.short_page:
            return None
        given = self.args.get(name)
        if given is None:
            given = self.paging.size
        return int(given) if isinstance(given, int) and not isinstance(given, bool) else None

    def request(self) -> dict[str, Any] | None:
        """The keywords of the next page's call, or None when the list is done."""
        if self.pending is not None:
            view, self.pending = self.pending, None
            self._advance(view)
        if self.done:
            return None
        if self.pages >= self.max_pages:
            raise PaginationError(
                f"{self.op.name}: more than {self.max_pages} pages; stopped (raise max_pages)"
            )
        if isinstance(self.position, dict):  # a next-page URL's query: keywords by name
            self.args.update(self.position)
        elif self.position is not None:
            self.args[self.paging.parameter] = self.position
        if self.position is not None:
            self.seen.add(_key(self.position))
        return self.args

    def take(self, page: Any) -> list[Any]:
        """The items of a fetched page to hand on (at most what max_items leaves), deciding what follows."""
        self.pages += 1
        items = read(page, self.paging.items) or []
        raw = page if isinstance(page, RawResponse) else getattr(page, "raw_response", None)
        body = hash(raw.content) if isinstance(raw, RawResponse) and items else None
        if body is not None and body == self.last_body:
            raise PaginationError(f"{self.op.name}: the server answered the same page twice; stopped")
        self.last_body = body
        out = list(items)
        if self.left is not None:
            out = out[: self.left]
            self.left -= len(out)
        if not items or self.left == 0:
            self.done = True
            return out
        if self.paging.has_more is not None and read(page, self.paging.has_more) is False:
            self.done = True
            return out
        if self.size is not None and len(items) < self.size:
            self.done = True
            return out
        headers = raw.headers if isinstance(raw, RawResponse) else None
        url = raw.url if isinstance(raw, RawResponse) else ""
        field = _reader(page)
        self.pending = PageView(
            self.position, self.args, items, field, headers, self.query, self.op.name, url
        )
        return out

    def _advance(self, view: PageView) -> None:
        """The next position after a page; run when the next page is asked for, so that a page's items are
        handed on before a problem with what follows it raises."""
        following = self.style.next(self.paging, view, read)
        if following is None:
            self.done = True
        elif _key(following) in self.seen:
            raise PaginationError(
                f"{self.op.name}: the server sent the position {following!r} a second time; stopped instead "
                "of looping"
            )
        self.position = following


def iter_pages(
    client: SyncClient,
    op: Operation[Any],
    args: Mapping[str, Any],
    *,
    timeout: Any = None,
    max_items: int | None = None,
    max_pages: int = DEFAULT_MAX_PAGES,
) -> Iterator[tuple[Any, list[Any]]]:
    """(page, its items to hand on) for each page, fetched one at a time."""
    walker = Walker(op, args, max_items, max_pages)
    while (asked := walker.request()) is not None:
        page = client._call(op, asked, timeout=timeout)
        yield page, walker.take(page)


async def aiter_pages(
    client: AsyncClient,
    op: Operation[Any],
    args: Mapping[str, Any],
    *,
    timeout: Any = None,
    max_items: int | None = None,
    max_pages: int = DEFAULT_MAX_PAGES,
) -> AsyncIterator[tuple[Any, list[Any]]]:
    walker = Walker(op, args, max_items, max_pages)
    while (asked := walker.request()) is not None:
        page = await client._call(op, asked, timeout=timeout)
        yield page, walker.take(page)


def iter_items(
    client: SyncClient,
    op: Operation[Any],
    args: Mapping[str, Any],
    *,
    timeout: Any = None,
    max_items: int | None = None,
    max_pages: int = DEFAULT_MAX_PAGES,
) -> Iterator[Any]:
    for _page, items in iter_pages(
        client, op, args, timeout=timeout, max_items=max_items, max_pages=max_pages
    ):
        yield from items


async def aiter_items(
    client: AsyncClient,
    op: Operation[Any],
    args: Mapping[str, Any],
    *,
    timeout: Any = None,
    max_items: int | None = None,
    max_pages: int = DEFAULT_MAX_PAGES,
) -> AsyncIterator[Any]:
    async for _page, items in aiter_pages(
        client, op, args, timeout=timeout, max_items=max_items, max_pages=max_pages
    ):
        for item in items:
            yield item
