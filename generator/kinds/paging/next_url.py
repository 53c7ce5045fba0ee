"""`next_url`: the answer's `next` field holds the whole URL of the next page (its query names the position)."""

from __future__ import annotations

from .cursor import Cursor


class NextUrl(Cursor):
    name = "next_url"
    url = True
    wording = (
        "by next-page URL: each page names the next one's URL in `{next}`, whose query sets `{parameter}`"
    )


KIND = NextUrl()
