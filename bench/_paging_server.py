"""`python -m bench._paging_server PAGES SIZE`: a loopback HTTP/1.1 server of PAGES cursor pages of SIZE notes
(`GET /cursor/notes?cursor=c<k>`), built once in memory; prints its port, then serves until killed."""

from __future__ import annotations

import asyncio
import json
import sys


def _pages(pages: int, size: int) -> list[bytes]:
    out = []
    for k in range(pages):
        body: dict[str, object] = {"items": [{"id": k * size + i + 1, "text": f"note {k * size + i + 1}"}
                                             for i in range(size)]}
        if k + 1 < pages:
            body["next_cursor"] = f"c{k + 1}"
        data = json.dumps(body).encode()
        head = f"HTTP/1.1 200 OK\r\ncontent-length: {len(data)}\r\ncontent-type: application/json\r\n\r\n"
        out.append(head.encode() + data)
    return out


async def _serve(pages: list[bytes], reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            target = head.split(b" ", 2)[1]
            _, _, query = target.partition(b"?")
            k = 0
            for pair in query.split(b"&"):
                if pair.startswith(b"cursor=c"):
                    k = int(pair[8:])
            writer.write(pages[k] if k < len(pages) else pages[-1])
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main(pages: int, size: int) -> None:
    answers = _pages(pages, size)
    server = await asyncio.start_server(lambda r, w: _serve(answers, r, w), "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))
