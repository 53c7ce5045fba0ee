"""The async clients' default transport (aiohttp via httpx-aiohttp, opi._runtime.aio): chosen by default and
one keyword away from httpx's, imported only when an async client is created, and reporting failures with
the meaning the call loop's retry rules need (a dropped connection is never "not sent", and aiohttp never
re-sends a request by itself). The fault matrix and money-safety suites run on both transports too."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import threading
from contextlib import AbstractContextManager

import httpx
import pytest
from client_support import ROOT, credentials, head_server, package
from provider_support import providers

GENERATED = ROOT / "generated"
ANY = providers()[0]  # any provider: what is tested here is the runtime
OK = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"


def raw_server(script: list[str]) -> AbstractContextManager[tuple[str, list[bytes]]]:
    """A loopback server on one kept-alive connection per client connection: for each request it reads,
    it does the next step of `script` ("answer": 200 with `{}`; "drop": close without answering).
    Yields its URL and the request heads it read."""
    steps = iter(script)
    # At most one connection per step, plus re-sends.
    return head_server(lambda head: OK if next(steps, "drop") == "answer" else None, len(script) + 2)


def _own_pool() -> httpx.AsyncClient:
    from opi._runtime import aio

    return aio.own_pool(2.0, None)


def test_default_async_pool_is_aiohttp_and_httpx_is_one_keyword_away() -> None:
    p = ANY
    pkg = package(p.alias)
    from opi._runtime.aio_transport import Direct, Transport

    default = pkg.AsyncClient(**credentials(p))
    chosen = pkg.AsyncClient(transport=httpx.AsyncHTTPTransport(), **credentials(p))
    handed = pkg.AsyncClient(http_client=httpx.AsyncClient(), **credentials(p))
    assert isinstance(default._direct, Direct)  # plain calls: straight to aiohttp
    assert isinstance(default._http._transport, Transport)  # anything sent through httpx: aiohttp too
    assert chosen._direct is None and type(chosen._http._transport) is httpx.AsyncHTTPTransport
    assert handed._direct is None
    for client in (default, chosen, handed):
        asyncio.run(client.aclose())


def _python(code: str) -> str:
    run = subprocess.run([sys.executable, "-I", "-c", code, str(GENERATED)], capture_output=True, text=True,
                         timeout=60, check=True)
    return run.stdout.strip()


def test_importing_a_package_does_not_import_aiohttp_creating_an_async_client_does() -> None:
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import opi." + ANY.alias + " as g; "
        "before = 'aiohttp' in sys.modules; g.Client(); mid = 'aiohttp' in sys.modules; "
        "g.AsyncClient(); print(before, mid, 'aiohttp' in sys.modules)"
    )
    assert _python(code) == "False False True"


def test_without_the_extra_the_default_is_httpx_own_pool() -> None:
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); sys.modules['httpx_aiohttp'] = None; "
        "import opi." + ANY.alias + " as g; c = g.AsyncClient(); print(type(c._http._transport).__name__)"
    )
    assert _python(code) == "AsyncHTTPTransport"
    code = code.replace("type(c._http._transport).__name__", "c._direct")
    assert _python(code) == "None"


def test_a_proxy_from_the_environment_is_honoured_through_httpx_client_layer() -> None:
    """Direct aiohttp calls skip httpx's proxy routing, so with HTTPS_PROXY set they are not used."""
    code = (
        "import os, sys; sys.path.insert(0, sys.argv[1]); os.environ['HTTPS_PROXY'] = 'http://127.0.0.1:9'; "
        "import opi." + ANY.alias + " as g; c = g.AsyncClient(); "
        "print(c._direct, sorted(type(t).__name__ for t in c._http._mounts.values()))"
    )
    assert _python(code) == "None ['Transport']"


def test_a_connection_dropped_after_the_request_is_a_read_error_and_put_is_not_resent() -> None:
    """The second request goes over the kept-alive connection and the server closes it having read the
    request: httpx-aiohttp would call that ConnectTimeout (never sent) and aiohttp would send the PUT
    again by itself; here it is a ReadError and the server saw the PUT once."""

    async def go() -> BaseException:
        async with _own_pool() as http:
            assert (await http.get(url + "/first")).status_code == 200
            with pytest.raises(httpx.TransportError) as caught:
                await http.put(url + "/refund", content=b"{}")
            return caught.value

    with raw_server(["answer", "drop"]) as (url, seen):
        error = asyncio.run(go())
    assert type(error) is httpx.ReadError
    assert [h.split(b" ")[0] for h in seen] == [b"GET", b"PUT"]


def test_direct_exchange_a_dropped_put_is_a_read_error_sent_once() -> None:
    """The same over the direct aiohttp path plain calls take."""
    from opi._runtime.aio import LIMITS
    from opi._runtime.aio_transport import Direct
    from opi._runtime.request import Prepared

    async def go() -> BaseException:
        pool = Direct(LIMITS, httpx.create_ssl_context())
        try:
            raw, cut = await pool.exchange(Prepared("GET", "/first", [], {}, None), url + "/first", {}, 2.0, 1000)
            assert (raw.status_code, raw.content, cut) == (200, b"{}", False)
            with pytest.raises(httpx.TransportError) as caught:
                await pool.exchange(Prepared("PUT", "/refund", [], {}, b"{}"), url + "/refund", {}, 2.0, 1000)
            return caught.value
        finally:
            await pool.aclose()

    with raw_server(["answer", "drop"]) as (url, seen):
        error = asyncio.run(go())
    assert type(error) is httpx.ReadError
    assert [h.split(b" ")[0] for h in seen] == [b"GET", b"PUT"]


def test_direct_exchange_takes_an_httpx_timeout() -> None:
    """A client's timeout (or a call's) may be an httpx.Timeout, which is not hashable: the direct path
    maps it to aiohttp's timeouts all the same: its read timeout bounds the whole try."""
    pkg = package(ANY.alias)

    async def go() -> None:
        async with pkg.AsyncClient(base_url=url, timeout=httpx.Timeout(5.0, read=2.5), max_retries=0,
                                   **credentials(ANY)) as client:
            assert client._direct is not None
            pool = client._direct
            for timeout in (httpx.Timeout(5.0, read=2.5), httpx.Timeout(5.0, read=2.5), 3.0):
                mapped = pool._client_timeout(timeout)
                assert mapped.total == (2.5 if timeout != 3.0 else 3.0)
                assert mapped.sock_connect == (5.0 if timeout != 3.0 else 3.0)
            assert len(pool._client_timeout._made) == 2
            from opi._runtime.request import Prepared

            raw, cut = await pool.exchange(Prepared("GET", "/x", [], {}, None), url + "/x", {},
                                           httpx.Timeout(5.0, read=2.5), 1000)
            assert (raw.status_code, raw.content, cut) == (200, b"{}", False)

    with raw_server(["answer"]) as (url, seen):
        asyncio.run(go())
    assert len(seen) == 1


def test_a_refused_connection_is_a_connect_error() -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()

    async def go() -> None:
        async with _own_pool() as http:
            await http.get(f"http://127.0.0.1:{port}/")

    with pytest.raises(httpx.ConnectError):
        asyncio.run(go())


def test_a_malformed_answer_is_a_protocol_error() -> None:
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(b"NOT HTTP AT ALL\r\n\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()

    async def go() -> None:
        async with _own_pool() as http:
            await http.get(f"http://127.0.0.1:{listener.getsockname()[1]}/")

    try:
        with pytest.raises(httpx.RemoteProtocolError):
            asyncio.run(go())
    finally:
        thread.join(timeout=5)
        listener.close()


def test_an_async_client_makes_one_ssl_context() -> None:
    """Its httpx.AsyncClient (over aiohttp) and its direct aiohttp pool share one: each costs tens of ms to
    make. (aiohttp makes its own default one when imported; that one is not counted here.)"""
    code = (
        "import asyncio, ssl, sys; sys.path.insert(0, sys.argv[1]); import aiohttp.connector; "
        "import opi." + ANY.alias + " as g; made = []; original = ssl.create_default_context\n"
        "def counting(*a, **k):\n    made.append(1); return original(*a, **k)\n"
        "ssl.create_default_context = counting\n"
        "async def go():\n    c = g.AsyncClient(); c._direct._open(); await c.aclose()\n"
        "asyncio.run(go()); print(len(made))"
    )
    assert _python(code) == "1"
