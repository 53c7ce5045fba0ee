"""An async download's file writes, off the event loop.

`AsyncClient` streams a file answer to `out=` through a `Spool`: the chunks are gathered into batches of
`BATCH` bytes and each batch is written by a worker thread (`loop.run_in_executor`) while the next one is
received, so a slow disk never blocks the event loop. At most two batches are held (one being written, one
filling), so memory stays bounded; the sink keeps its rules (a temporary file renamed over the path only
when the whole answer arrived, nothing left behind when the transfer breaks), and its temporary file is
created, renamed or removed in the worker thread too. An answer read into memory (`exchange.Body`) is
handed on directly: it does no I/O.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from .download import Sink
from .exchange import Body

BATCH = 1024 * 1024


class Spool:
    __slots__ = ("_batch", "_buffer", "_buffered", "_loop", "_pending", "body")

    def __init__(self, body: Body | Sink, batch: int = BATCH) -> None:
        self.body = body
        self._batch = batch
        self._buffer: list[bytes] = []
        self._buffered = 0
        self._pending: asyncio.Future[Any] | None = None
        self._loop = asyncio.get_running_loop()

    async def add(self, chunk: bytes) -> bool:
        """Take a chunk; False once a body read into memory passed its limit (stop reading)."""
        if isinstance(self.body, Body):
            return self.body.add(chunk)
        self._buffer.append(chunk)
        self._buffered += len(chunk)
        if self._buffered >= self._batch:
            await self._write()
        return True

    async def _write(self) -> None:
        """Wait for the batch being written (its failure is raised here), then start writing the next."""
        if self._pending is not None:
            # Shielded: a cancelled call leaves the write running, and discard() waits for it.
            await asyncio.shield(self._pending)
            self._pending = None
        if self._buffer:
            data = b"".join(self._buffer)
            self._buffer.clear()
            self._buffered = 0
            self._pending = self._loop.run_in_executor(None, self.body.add, data)

    async def finish(self) -> None:
        if isinstance(self.body, Body):
            self.body.finish()
            return
        await self._write()
        await self._write()  # the last batch written
        await self._loop.run_in_executor(None, self.body.finish)

    async def discard(self) -> None:
        if isinstance(self.body, Body):
            self.body.discard()
            return
        self._buffer.clear()
        if self._pending is not None:
            with contextlib.suppress(Exception):  # the transfer failed already; the write is undone below
                await self._pending
            self._pending = None
        await self._loop.run_in_executor(None, self.body.discard)
