"""One exchange's plumbing shared by both clients: the request, and its answer's body read within limits."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import httpx

from .download import Sink, misfiled
from .request import Prepared
from .response import RawResponse, media_of

TimeoutTypes = float | httpx.Timeout
T = TypeVar("T")


class Timeouts(Generic[T]):
    """A pool's own form of each timeout its calls use, made once per distinct timeout: an `httpx.Timeout`
    is not hashable, so it is remembered by its four values; at most 64 are kept (per-call timeouts could
    all differ)."""

    __slots__ = ("_made", "_make")

    def __init__(self, make: Callable[[httpx.Timeout], T]) -> None:
        self._make = make
        self._made: dict[object, T] = {}

    def __call__(self, timeout: TimeoutTypes) -> T:
        key = (
            (timeout.connect, timeout.read, timeout.write, timeout.pool)
            if isinstance(timeout, httpx.Timeout)
            else timeout
        )
        found = self._made.get(key)
        if found is None:
            found = self._make(timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout))
            if len(self._made) >= 64:
                self._made.clear()
            self._made[key] = found
        return found


def build(
    http: httpx.Client | httpx.AsyncClient,
    prepared: Prepared,
    url: str,
    headers: dict[str, str],
    timeout: TimeoutTypes | httpx._client.UseClientDefault,
) -> httpx.Request:
    content = prepared.content
    if content is None or isinstance(content, bytes):
        body: dict[str, Any] = {"content": content}
    else:  # streamed from files, from their start again on every try
        body, more = content.request_args(isinstance(http, httpx.AsyncClient))
        headers = {**headers, **more}
    return http.build_request(
        prepared.method, url, params=prepared.query or None, headers=headers, timeout=timeout, **body
    )


def proxied() -> bool:
    """Whether the environment names a proxy: then httpx's client layer routes to it, and a client sends
    through its `httpx.Client` or `httpx.AsyncClient` only (no direct pool)."""
    import urllib.request

    return bool(urllib.request.getproxies())


def deadline(timeout: TimeoutTypes) -> float | None:
    """When the whole answer, body included, must have arrived (httpx's own timeouts are per read)."""
    seconds = timeout.read if isinstance(timeout, httpx.Timeout) else float(timeout)
    return None if seconds is None else time.monotonic() + seconds


def undecodable(exc: httpx.DecodingError) -> httpx.TransportError:
    """A body that cannot be decoded (e.g. broken gzip) is as unusable as a cut connection."""
    return httpx.RemoteProtocolError(f"undecodable answer: {exc}")


class Body:
    """An answer's body read up to a limit, and within a deadline."""

    __slots__ = ("_chunks", "_ends", "_limit", "size", "too_large")

    def __init__(self, limit: int, ends: float | None, status: int, declared: int | None) -> None:
        """`declared`: the answer's Content-Length (None when absent)."""
        self._chunks: list[bytes] = []
        self._limit = limit
        self._ends = ends
        self.size = 0
        # A success answer declared too long is not read at all; an error's body is read up to the limit.
        self.too_large = declared is not None and declared > limit and status < 300

    @property
    def wanted(self) -> bool:
        return not self.too_large

    def add(self, chunk: bytes) -> bool:
        """Keep a chunk; False once the limit is passed (stop reading)."""
        room = self._limit - self.size
        if len(chunk) > room:
            self._chunks.append(chunk[:room])
            self.size = self._limit
            self.too_large = True
            return False
        self._chunks.append(chunk)
        self.size += len(chunk)
        if self._ends is not None and time.monotonic() > self._ends:
            raise httpx.ReadTimeout("the answer did not arrive in full within the timeout")
        return True

    @property
    def content(self) -> bytes:
        return b"".join(self._chunks)

    def finish(self) -> None:
        """The whole answer arrived (nothing to do: it is in memory)."""

    def discard(self) -> None:
        """The transfer broke (nothing to undo)."""

    def raw(self, raw: RawResponse) -> RawResponse:
        return raw


def receiver(
    response: httpx.Response, prepared: Prepared, limit: int, ends: float | None
) -> tuple[Body | Sink, str]:
    """Where an answer's body goes: to the call's `out=` target when it is the success answer the method
    declares (streamed, no size limit beyond httpx's per-read timeout), else into memory within `limit`;
    and the answer's media type."""
    length, media, _ = declared(response.headers.raw)
    target = prepared.target
    if target is None or response.status_code >= 300 or misfiled(prepared.declared, response.headers):
        return Body(limit, ends, response.status_code, length), media
    return Sink(target), media


def declared(lines: list[tuple[bytes, bytes]]) -> tuple[int | None, str, bool]:
    """An answer's Content-Length (None when absent), media type, and whether it is content-encoded, in
    one pass over its header lines (each `httpx.Headers.get` checks the encoding of every line again: two
    of them cost more than this)."""
    length: int | None = None
    types: list[str] = []
    encoded = False
    for key, value in lines:
        name = key.lower()
        if name == b"content-length":
            length = int(value) if value.isdigit() else None
        elif name == b"content-type":
            types.append(value.decode("latin-1"))
        elif name == b"content-encoding" and value.strip().lower() != b"identity":
            encoded = True
    # Several Content-Types are joined, as `httpx.Headers.get` joins them.
    return length, media_of(", ".join(types)), encoded
