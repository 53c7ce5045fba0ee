"""`next_url`: the answer's `next` field holds the next page's whole URL. Its query parameters become the next
call's keywords (by their wire names), so the page is asked for like any other call of the method."""

from __future__ import annotations

from typing import Any

from .base import PageView


def keywords(page: PageView, url: str) -> dict[str, Any]:
    """The keywords a next-page URL's query sets; a query parameter the spec does not declare is an error,
    and so is a URL on another host than the page's (the walk stops; nothing is sent there)."""
    import httpx  # the runtime's HTTP library also parses URLs

    from ..errors import OpiError

    target = httpx.URL(page.url).join(url) if page.url else httpx.URL(url)
    if page.url and target.netloc != httpx.URL(page.url).netloc:
        raise OpiError(
            f"{page.op}: the next-page URL points at {target.netloc.decode('ascii', 'replace')!r}, not at "
            f"{httpx.URL(page.url).netloc.decode('ascii', 'replace')!r} where the page came from; stopped "
            "(no request and no credential go to another host)"
        )
    found: dict[str, Any] = {}
    for wire, value in target.params.multi_items():
        name = page.query.get(wire)
        if name is None:
            raise OpiError(f"{page.op}: the next-page URL sets {wire!r}, which the spec does not declare")
        found[name] = value
    return found


class NextUrl:
    name = "next_url"

    def first(self, paging: Any, given: Any) -> Any:
        return given

    def next(self, paging: Any, page: PageView, item_field: Any) -> Any:
        url = page.field(paging.next)
        return keywords(page, url) if isinstance(url, str) and url else None


KIND = NextUrl()
