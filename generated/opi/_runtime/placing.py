"""Credentials outside the headers: an API key in the query, a path segment (`/bot{token}/...`) or a body
field (an `api_key` scheme's `in:`), put in place just before sending, and kept out of httpx's own log
records, which print every URL at INFO.

Everything else that shows a URL or a body (our exceptions, `--debug`, `--test`, `raw_response`) masks
credentials by value (`masking.Masker`, which also knows their percent-encoded forms).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

from .masking import Masker
from .spec import BODY, PATH, QUERY, ProviderSpec
from .uploads import FileBody, MultipartBody

if TYPE_CHECKING:
    from .request import Prepared

Placed = tuple[tuple[str, str, str], ...]  # (location, wire name, value) of each credential not in a header


def apply(placed: Placed, url: str, prepared: Prepared) -> str:
    """Put each credential at its place: the URL is returned, the query and the body are `prepared`'s."""
    for location, wire, value in placed:
        if location == PATH:
            url = url.replace("{" + wire + "}", quote(value, safe=":@"))
        elif location == QUERY:
            prepared.query = [*prepared.query, (wire, value)]
        elif location == BODY:
            prepared.content = _with_field(prepared, wire, value)
    return url


def in_url(placed: Placed) -> bool:
    return any(location in (PATH, QUERY) for location, _, _ in placed)


def _with_field(prepared: Prepared, wire: str, value: str) -> bytes | FileBody | MultipartBody | None:
    content = prepared.content
    if isinstance(content, MultipartBody):
        return MultipartBody({**content.fields, wire: value}, content.uploads)
    if not isinstance(content, bytes):  # the checker allows body keys on json, form and multipart bodies only
        return content
    media = prepared.headers.get("Content-Type", "")
    if "json" in media:  # one more member of the JSON object, spliced in without parsing the body again
        member = json.dumps(wire, ensure_ascii=False) + ":" + json.dumps(value, ensure_ascii=False)
        head = content.rstrip()[:-1].rstrip()
        return head + (b"" if head == b"{" else b",") + member.encode("utf-8") + b"}"
    pair = urlencode([(wire, value)]).encode("ascii")
    return content + b"&" + pair if content else pair


class _UrlSecrets(logging.Filter):
    """Masks credentials in the records of the `httpx` logger ("HTTP Request: GET <url> ...")."""

    def __init__(self) -> None:
        super().__init__()
        self.masker = Masker()

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        masked = self.masker.mask(text)
        if masked != text:
            record.msg, record.args = masked, None
        return True


_HTTPX_LOG = _UrlSecrets()


def hide_in_httpx_log(values: list[str]) -> None:
    """Mask these credentials (which travel in URLs) in httpx's log records from now on."""
    if not values:
        return
    for value in values:
        _HTTPX_LOG.masker.add(value)
    logger = logging.getLogger("httpx")
    if _HTTPX_LOG not in logger.filters:
        logger.addFilter(_HTTPX_LOG)


def url_credentials(spec: ProviderSpec, credentials: Mapping[str, str | None]) -> list[str]:
    """The given credentials that travel in URLs (keys in the query or the path)."""
    names = {i for s in spec.schemes.values() if s.location in (PATH, QUERY) for i in s.inputs}
    return [v for k, v in credentials.items() if v and k in names]
