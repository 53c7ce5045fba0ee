"""`link`: the `Link` header's `rel="next"` URL is the next page (RFC 8288 web linking)."""

from __future__ import annotations

from .cursor import Cursor


class LinkHeader(Cursor):
    name = "link"
    url = True
    next_in = None
    wording = 'by the `Link` header: its `rel="next"` URL is the next page, whose query sets `{parameter}`'


KIND = LinkHeader()
