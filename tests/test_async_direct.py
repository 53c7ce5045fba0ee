"""An async client's own pool (`opi/_runtime/aio_send.py`): aiohttp's connection pool, without
`ClientSession.request`'s per-request layer.

It must send what the session sends (request line, header lines and their order, body), and so the
request httpx would send, and fall back to the session where aiohttp's internals are not the ones it
drives. Checked over real HTTP on 127.0.0.1 with every method of every spec in specs/; the fault matrix and
money-safety suites run the fast path and the session path ("async", "async-session")."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from client_support import (
    Canned,
    a_read_and_its_answer,
    canned_server,
    credentials,
    example_kwargs,
    head_server,
    package,
)
from opi._runtime import aio_send
from provider_support import providers

from generator.ir import Method, Provider

Recorded = list[tuple[str, list[tuple[str, str]], bytes]]  # request line, header lines as sent, body
# Header lines each HTTP library adds of its own, with its own values.
LIBRARY = {"user-agent", "accept-encoding", "connection"}


def _sent(p: Provider, m: Method, path: str, url: str, seen: Recorded) -> tuple[Recorded, str]:
    """The requests one example call sends on a path ("fast", "session" or "httpx"), and how it ended."""
    pkg = package(p.alias)
    seen.clear()
    transport = {"transport": httpx.AsyncHTTPTransport()} if path == "httpx" else {}

    async def call() -> str:
        async with pkg.AsyncClient(base_url=url, max_retries=0, **credentials(p), **transport) as client:
            if path != "httpx":
                assert client._direct is not None and client._direct.fast
                client._direct.fast = path == "fast"
            try:
                await getattr(client, m.py_name)(**example_kwargs(p, m))
            except pkg.OpiError as exc:
                return type(exc).__name__
            return "returned"

    ended = asyncio.run(call())
    key = (m.safety.header or "").lower()  # a new idempotency key per call
    return [(line, [(k, v) for k, v in hs if k.lower() != key], body) for line, hs, body in seen], ended


CASES = [(p, m) for p in providers() for m in p.methods]


@pytest.mark.parametrize(("p", "m"), CASES, ids=[f"{p.alias}-{m.name}" for p, m in CASES])
def test_every_method_sends_the_same_request_as_the_session_and_as_httpx(p: Provider, m: Method) -> None:
    seen: Recorded = []
    answer = Canned(404, b'{"message": "recorded"}', {"Content-Type": "application/json"})
    with canned_server([answer], seen) as (url, _):
        fast, ended = _sent(p, m, "fast", url, seen)
        assert fast, "nothing was sent"
        assert (fast, ended) == _sent(p, m, "session", url, seen)  # byte for byte, in the same order
        through_httpx, httpx_ended = _sent(p, m, "httpx", url, seen)
    assert ended == httpx_ended
    assert len(fast) == len(through_httpx)
    for (line, lines, body), (line_, lines_, body_) in zip(fast, through_httpx, strict=True):
        assert (line, body) == (line_, body_)
        ours = sorted((k.lower(), v) for k, v in lines if k.lower() not in LIBRARY)
        assert ours == sorted((k.lower(), v) for k, v in lines_ if k.lower() not in LIBRARY)


def test_the_installed_aiohttp_takes_the_fast_path_and_another_would_fall_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`usable()` reads the internals' signatures; where one lacks a keyword the fast path passes, a new
    client sends through the session, and its calls are answered all the same."""
    assert aio_send.usable()
    p, m, body, headers = a_read_and_its_answer()
    pkg = package(p.alias)
    changed = dict(aio_send._SHAPES)
    first = next(iter(changed))
    changed[first] = {*changed[first], "a_keyword_no_aiohttp_takes"}
    monkeypatch.setattr(aio_send, "_SHAPES", changed)
    aio_send.usable.cache_clear()
    try:
        assert not aio_send.usable()

        async def call() -> Any:
            async with pkg.AsyncClient(base_url=url, max_retries=0, **credentials(p)) as client:
                assert client._direct is not None and not client._direct.fast
                return await getattr(client, m.py_name)(**example_kwargs(p, m))

        with canned_server([Canned(200, body, headers)]) as (url, seen):
            result = asyncio.run(call())
        assert type(result).__name__ == m.success.model and len(seen) == 1
    finally:
        monkeypatch.undo()
        aio_send.usable.cache_clear()
    assert aio_send.usable()


def test_an_internal_that_needs_a_parameter_not_given_means_the_session(monkeypatch: pytest.MonkeyPatch) -> None:
    """A later aiohttp whose internal needs one more argument: `usable()` sees it before any call."""
    from aiohttp.client_proto import ResponseHandler

    original = ResponseHandler.set_response_params

    def needing(self: Any, *, timer: Any = None, skip_payload: bool = False, read_timeout: Any = None,
                a_new_one: int) -> None:
        raise AssertionError("never called")

    monkeypatch.setattr(ResponseHandler, "set_response_params", needing)
    aio_send.usable.cache_clear()
    try:
        assert not aio_send.usable()
    finally:
        monkeypatch.setattr(ResponseHandler, "set_response_params", original)
        aio_send.usable.cache_clear()
    assert aio_send.usable()


@pytest.mark.parametrize("own", [False, True], ids=["no-header", "own-header"])
@pytest.mark.parametrize("fast", [True, False], ids=["fast", "session"])
def test_a_user_and_password_in_the_url_are_sent_as_httpx_sends_them(fast: bool, own: bool) -> None:
    """As Basic auth in place of any `Authorization` of the call's own, and not in the request line."""
    from opi._runtime.aio import LIMITS
    from opi._runtime.aio_transport import Direct
    from opi._runtime.request import Prepared

    seen: Recorded = []
    headers = {"Authorization": "Bearer the-call's-own"} if own else {}

    async def go(base: str) -> None:
        pool = Direct(LIMITS, httpx.create_ssl_context())
        pool.fast = fast
        try:
            raw, _ = await pool.exchange(Prepared("GET", "/x", [], {}, None), base + "/x", headers, 2.0, 1000)
            assert raw.status_code == 200
        finally:
            await pool.aclose()
        async with httpx.AsyncClient() as http:
            assert (await http.get(base + "/x", headers=headers)).status_code == 200

    with canned_server([Canned(200, b"{}", {"Content-Type": "application/json"})], seen) as (url, _):
        asyncio.run(go(url.replace("http://", "http://us%40er:p%3Ass@")))
    (line, ours, _), (line_, theirs, _) = seen
    assert line == line_ == "GET /x HTTP/1.1"
    assert {k.lower(): v for k, v in ours if k.lower() not in LIBRARY} == {
        k.lower(): v for k, v in theirs if k.lower() not in LIBRARY
    }
    assert dict(ours)["Authorization"] == "Basic dXNAZXI6cDpzcw==" and "@" not in dict(ours)["Host"]


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "session"])
def test_a_url_that_is_not_http_is_unsupported_and_nothing_is_sent(fast: bool) -> None:
    from opi._runtime.aio import LIMITS
    from opi._runtime.aio_transport import Direct
    from opi._runtime.request import Prepared

    async def go() -> None:
        pool = Direct(LIMITS, httpx.create_ssl_context())
        pool.fast = fast
        try:
            await pool.exchange(Prepared("GET", "/x", [], {}, None), "ftp://127.0.0.1:1/x", {}, 2.0, 1000)
        finally:
            await pool.aclose()

    with pytest.raises(httpx.UnsupportedProtocol):
        asyncio.run(go())


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "session"])
def test_a_call_cancelled_while_waiting_leaves_no_answer_for_the_next(fast: bool) -> None:
    """A pool of one connection: a try cancelled before its (late) answer arrives must not hand that
    connection back as it is, or the next request on it would read the late answer as its own."""
    import threading

    from opi._runtime.aio_transport import Direct
    from opi._runtime.request import Prepared

    def answer(head: bytes) -> bytes:
        path = head.split(b" ")[1].decode()
        if path == "/late":
            threading.Event().wait(0.5)
        body = f'{{"answer": "{path}"}}'.encode()
        return (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + str(len(body)).encode() + b"\r\n\r\n" + body)

    async def go(url: str) -> bytes:
        pool = Direct(httpx.Limits(max_connections=1), httpx.create_ssl_context())
        pool.fast = fast
        try:
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(
                    pool.exchange(Prepared("GET", "/late", [], {}, None), url + "/late", {}, 5.0, 1000), 0.1
                )
            raw, _ = await pool.exchange(Prepared("GET", "/next", [], {}, None), url + "/next", {}, 5.0, 1000)
            return raw.content
        finally:
            await pool.aclose()

    # Bounded: the cancelled try's connection and at most two more.
    with head_server(answer, 3) as (url, heads):
        assert asyncio.run(go(url)) == b'{"answer": "/next"}'
    assert [head.split(b" ")[1] for head in heads] == [b"/late", b"/next"]
