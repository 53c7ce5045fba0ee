"""`--debug` for a file answer: its status and headers are shown when it arrives, and its body is streamed
on to the client through a tap that keeps only the first bytes and counts the rest, so a large download
is never held in memory for the debug output. When the client has read the answer (or stopped), the tap
shows its size and its head (as Python bytes, escaped)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx

from .cli_output import say

HEAD = 64  # bytes of a file answer shown


class Tap(httpx.SyncByteStream):
    """Passes an answer's chunks on, keeping its first HEAD bytes and its size."""

    def __init__(self, inner: httpx.SyncByteStream, done: Callable[[bytes, int, bool], None]) -> None:
        self._inner = inner
        self._done = done
        self._head = b""
        self._size = 0
        self._complete = False
        self._closed = False

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._inner:
            if len(self._head) < HEAD:
                self._head += chunk[: HEAD - len(self._head)]
            self._size += len(chunk)
            yield chunk
        self._complete = True

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._inner.close()
        finally:
            self._done(self._head, self._size, self._complete)


def tapped(response: httpx.Response, request: httpx.Request, lines: list[str]) -> httpx.Response:
    """The answer with its body streamed through a tap; `lines` (status and headers) are shown now."""
    media = response.headers.get("content-type", "data").split(";")[0].strip() or "data"

    def done(head: bytes, size: int, complete: bool) -> None:
        how = "streamed" if complete else "read in part"
        say(f"< ({size} bytes of {media}, {how}; first {len(head)}: {head!r})")

    say("\n".join(lines))
    stream = response.stream
    assert isinstance(stream, httpx.SyncByteStream)  # from the blocking transport
    return httpx.Response(
        response.status_code,
        headers=response.headers,
        stream=Tap(stream, done),
        extensions=response.extensions,
        request=request,
    )
