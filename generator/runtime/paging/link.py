"""`link`: the answer's `Link` header names the next page (`rel="next"`) (RFC 8288); read with
httpx's own Link parsing. No `rel="next"` ends the list."""

from __future__ import annotations

from typing import Any

from .base import PageView
from .next_url import keywords


class LinkHeader:
    name = "link"

    def first(self, paging: Any, given: Any) -> Any:
        return given

    def next(self, paging: Any, page: PageView, item_field: Any) -> Any:
        import httpx

        header = page.headers.get("link")
        if not header:
            return None
        url = httpx.Response(200, headers={"link": header}).links.get("next", {}).get("url")
        return keywords(page, url) if url else None


KIND = LinkHeader()
