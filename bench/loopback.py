"""A minimal HTTP/1.1 loopback server for overhead measurements: canned answers by method and path.

Run as `python -m bench.loopback ROUTES.json`; prints its port, then serves until killed. ROUTES maps
"METHOD /path" (no query) to [status, {header: value}, body text]. It parses just enough HTTP (request line,
Content-Length, keep-alive) to be far cheaper than any client, so a client's own cost shows in full.
"""

from __future__ import annotations

import asyncio
import json
import sys


def _answers(routes: dict[str, tuple[int, dict[str, str], str]]) -> dict[bytes, bytes]:
    out: dict[bytes, bytes] = {}
    for key, (status, headers, body) in routes.items():
        data = body.encode()
        head = [
            f"HTTP/1.1 {status} OK",
            f"content-length: {len(data)}",
            *(f"{k}: {v}" for k, v in headers.items()),
        ]
        out[key.encode()] = ("\r\n".join(head) + "\r\n\r\n").encode() + data
    return out


NOT_FOUND = b"HTTP/1.1 404 Not Found\r\ncontent-length: 2\r\ncontent-type: application/json\r\n\r\n{}"


async def _serve(
    answers: dict[bytes, bytes], reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            line, _, rest = head.partition(b"\r\n")
            verb, target, _ = line.split(b" ", 2)
            length = 0
            for header in rest.split(b"\r\n"):
                if header[:15].lower() == b"content-length:":
                    length = int(header[15:])
            if length:
                await reader.readexactly(length)
            writer.write(answers.get(verb + b" " + target.split(b"?", 1)[0], NOT_FOUND))
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main(path: str) -> None:
    with open(path, encoding="utf-8") as handle:
        answers = _answers(json.load(handle))
    server = await asyncio.start_server(lambda r, w: _serve(answers, r, w), "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
