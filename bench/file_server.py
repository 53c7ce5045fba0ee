"""A loopback server for the file benchmarks: `GET /widgets/{id}/manual.pdf` streams SIZE bytes of a PDF,
`PUT /blobs/{name}` reads the body and discards it. Run as `python -m bench.file_server SIZE`; prints its
port, then serves until killed. Plain asyncio streams in chunks, so it holds no more than a chunk."""

from __future__ import annotations

import asyncio
import sys

CHUNK = b"%" * (1 << 20)


async def _handle(size: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            line, *fields = head.decode("latin-1").split("\r\n")
            headers = {k.strip().lower(): v.strip() for k, _, v in (f.partition(":") for f in fields if f)}
            verb = line.split(" ", 1)[0]
            left = int(headers.get("content-length", "0"))
            while left:  # an upload: read and drop
                left -= len(await reader.read(min(left, 1 << 20)))
            if verb == "GET":
                writer.write(f"HTTP/1.1 200 OK\r\ncontent-type: application/pdf\r\ncontent-length: {size}\r\n"
                             f"content-disposition: attachment; filename=\"big.pdf\"\r\n\r\n".encode())
                sent = 0
                while sent < size:
                    part = CHUNK[: min(len(CHUNK), size - sent)]
                    writer.write(part)
                    await writer.drain()
                    sent += len(part)
            else:
                writer.write(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
                await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main(size: int) -> None:
    server = await asyncio.start_server(lambda r, w: _handle(size, r, w), "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
