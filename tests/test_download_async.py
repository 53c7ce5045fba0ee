"""The async client writes a downloaded file off the event loop (`runtime/spool.py`): every write runs in a
worker thread, the loop keeps running while a slow disk writes, memory stays bounded (batches of at most
`spool.BATCH` bytes), and a cancelled or broken download leaves no file behind."""

from __future__ import annotations

import asyncio
import io
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from client_support import Canned, canned_server
from kinds_support import KEY, Shapes, generated_shapes

from generator.runtime.spool import BATCH

SIZE = 5 * 1024 * 1024 + 123
DATA = bytes(range(256)) * (SIZE // 256) + b"\x01" * (SIZE % 256)
PDF = {"content-type": "application/pdf"}


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shapes]:
    with generated_shapes(tmp_path_factory.mktemp("spool")) as found:
        yield found


class SlowDisk(io.BytesIO):
    """A binary file whose every write takes `delay` seconds and records its thread and size."""

    def __init__(self, delay: float) -> None:
        super().__init__()
        self.delay = delay
        self.writes: list[tuple[int, int]] = []  # (thread id, bytes)

    def write(self, data: Any) -> int:
        self.writes.append((threading.get_ident(), len(data)))
        time.sleep(self.delay)
        return super().write(data)


def test_writes_run_off_the_event_loop_in_bounded_batches(shapes: Shapes) -> None:
    disk = SlowDisk(0.25)

    async def run() -> tuple[Any, int, float]:
        loop_thread = threading.get_ident()
        gaps: list[float] = []
        stop = asyncio.Event()

        async def tick() -> None:
            last = time.monotonic()
            while not stop.is_set():
                await asyncio.sleep(0.01)
                now = time.monotonic()
                gaps.append(now - last)
                last = now

        ticker = asyncio.create_task(tick())
        async with shapes.pkg.AsyncClient(base_url=url, api_key=KEY, max_retries=0) as client:
            got = await client.get_manual(widget_id=7, out=disk)
        stop.set()
        await ticker
        return got, loop_thread, max(gaps)

    with canned_server([Canned(200, DATA, PDF)]) as (url, _):
        got, loop_thread, longest_gap = asyncio.run(run())
    assert disk.getvalue() == DATA and got.size == SIZE
    assert len(disk.writes) >= SIZE // BATCH  # in batches, each written by a worker thread
    assert all(thread != loop_thread for thread, _ in disk.writes)
    assert max(size for _, size in disk.writes) < BATCH + 256 * 1024  # a batch plus at most one chunk
    # Each write sleeps 0.25 s in its thread; the loop went on ticking every 10 ms meanwhile.
    assert longest_gap < 0.15, longest_gap


@pytest.fixture()
def stalling_server() -> Iterator[str]:
    """Promises 10 MiB of PDF, sends 3 MiB, then holds the connection until the test ends."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(10)
    done = threading.Event()

    def serve() -> None:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: application/pdf\r\ncontent-length: 10485760\r\n\r\n")
            conn.sendall(b"%" * (3 * 1024 * 1024))
            done.wait(30)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        done.set()
        listener.close()
        thread.join(timeout=5)


def test_a_cancelled_download_leaves_no_file(shapes: Shapes, tmp_path: Path, stalling_server: str) -> None:
    target = tmp_path / "manual.pdf"

    async def run() -> list[str]:
        async with shapes.pkg.AsyncClient(base_url=stalling_server, api_key=KEY, max_retries=0,
                                          timeout=30) as client:
            task = asyncio.create_task(client.get_manual(widget_id=7, out=target))
            for _ in range(500):  # until the temporary file has been started (bounded: 5 s)
                await asyncio.sleep(0.01)
                if any(tmp_path.iterdir()):
                    break
            seen = [p.name for p in tmp_path.iterdir()]
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            return seen

    seen = asyncio.run(run())
    assert len(seen) == 1 and seen[0].startswith(".manual.pdf.") and seen[0].endswith(".part")
    assert list(tmp_path.iterdir()) == []  # the temporary file was removed, no target was made
