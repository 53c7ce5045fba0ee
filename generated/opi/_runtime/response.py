"""The raw answer behind every call (status, headers and body as the provider sent them), and reading it."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import httpx

RawHeaders = tuple[tuple[bytes, bytes], ...]  # header lines as received (aiohttp's `raw_headers`)


class RawResponse:
    """An HTTP answer: `result.raw_response` or `error.raw` (e.g. for a header the model lacks)."""

    __slots__ = ("_headers", "_media", "_url", "content", "method", "status_code")

    def __init__(
        self,
        status_code: int,
        headers: Mapping[str, str] | RawHeaders,
        content: bytes,
        method: str,
        url: object,
        media: str | None = None,
    ) -> None:
        self.status_code = status_code
        self._headers = (
            headers  # raw header lines are made `httpx.Headers` on first use: most calls never ask
        )
        self.content = content
        self.method = method
        self._url = url  # a str or an httpx.URL, made text only when asked for
        self._media = media  # `media_type(headers)` when the caller had it cheaply; else made on first use

    @property
    def headers(self) -> Mapping[str, str]:
        """The answer's headers, case-insensitive (an `httpx.Headers`)."""
        found = self._headers
        if isinstance(found, tuple):
            found = self._headers = httpx.Headers(list(found))
        return found

    @property
    def media_type(self) -> str:
        """The Content-Type without parameters, lower case ("" when absent)."""
        if self._media is None:
            self._media = media_type(self.headers)
        return self._media

    @property
    def url(self) -> str:
        """The URL asked, without a user and password it held (they went as Basic auth, never shown)."""
        text = str(self._url)
        return _without_userinfo(text) if "@" in text else text

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        """The body parsed as JSON (raises ValueError when it is not JSON)."""
        return json.loads(self.content)

    def mask_url(self, mask: Callable[[str], str]) -> None:
        """Mask the URL (it held a credential in its query or path)."""
        self._url = mask(str(self._url))

    def __repr__(self) -> str:
        # Bodies can hold tokens (a token endpoint's answer), so they are never part of the repr.
        return f"<RawResponse {self.status_code} {self.method} {self.url}>"


def _without_userinfo(url: str) -> str:
    start = url.find("//") + 2  # the authority: from after `//` to the first `/`, `?` or `#`
    if start < 2:
        return url
    end = min((i for i in (url.find(c, start) for c in "/?#") if i >= 0), default=len(url))
    at = url.rfind("@", start, end)
    return url if at < 0 else url[:start] + url[at + 1 :]


def media_type(headers: Mapping[str, str]) -> str:
    """The Content-Type without parameters, lower case ("" when absent)."""
    return media_of(headers.get("content-type", ""))


def media_of(value: str) -> str:
    """A Content-Type value's media type: without parameters, lower case."""
    return value.split(";")[0].strip().lower()


def dig(data: Any, path: str) -> Any:
    """The value at a dotted path of JSON data (integer parts index lists), or None."""
    for part in path.split("."):
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and part.lstrip("-").isdigit() and -len(data) <= int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data
