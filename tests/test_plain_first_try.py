"""A plain call's first try (`opi/_runtime/plain.py`): the driver sends it without the call loop, so it
must be the very request the loop would send, and whatever its answer, the loop still decides: a read is
retried, an error is typed, a write without a safe mechanism is never sent twice. Over every method of
every spec in specs/, and over real HTTP on 127.0.0.1 with both clients and both async transports."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from client_support import Canned, canned_server, credentials, example_kwargs, package
from opi._runtime import plain
from provider_support import providers

from generator.ir import Idempotency, Method, Provider
from generator.mock import MockServer
from generator.mock.faults import Fault


class _Grabbed(Exception):
    pass


def _call_of(client: Any, m: Method, kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """The arguments the generated method hands to `_call` (op, args, body, timeout, out, accept)."""
    seen: dict[str, Any] = {}

    def grab(op: Any, args: Any, **options: Any) -> Any:
        seen.update(options, op=op, args=args)
        raise _Grabbed

    client._call = grab
    with pytest.raises(_Grabbed):
        getattr(client, m.py_name)(**kwargs)
    names = ("body", "timeout", "out", "accept")
    return (seen["op"], seen["args"], *(seen.get(n) for n in names))


def _plain_methods() -> Iterator[tuple[Provider, Method, tuple[Any, ...]]]:
    """Every method whose call (at its example) is plain, with its `_call` arguments."""
    for p in providers():
        for m in p.methods:
            with package(p.alias).Client(base_url="http://127.0.0.1:9", **credentials(p)) as client:
                call = _call_of(client, m, example_kwargs(p, m))
                if plain.first_request(client, *call) is not None:
                    yield p, m, call


def _without_key(op: Any, headers: dict[str, str]) -> dict[str, str]:
    """Headers without the idempotency key: a new one per logical call, so two prepared calls differ."""
    name = (op.safety.header or "").lower()
    return {k: v for k, v in headers.items() if k.lower() != name}


def test_a_plain_first_request_is_the_loops_first_request() -> None:
    count = 0
    for p, m, call in _plain_methods():
        with package(p.alias).Client(base_url="http://127.0.0.1:9", **credentials(p)) as client:
            sent = plain.first_request(client, *call)
            kind, prepared, url, headers, wait = client._calling(*call).send(None)
        assert sent is not None and kind == "send", m.name
        mine = sent[0]
        assert (mine.method, mine.path, mine.query, mine.content) == (
            prepared.method,
            prepared.path,
            prepared.query,
            prepared.content,
        ), m.name
        assert (sent[1], _without_key(call[0], sent[2]), sent[3]) == (
            url,
            _without_key(call[0], headers),
            wait,
        ), m.name
        count += 1
    assert count >= 1  # the seed specs have plain methods; a spec set without any tests nothing here


def test_the_loop_refuses_a_first_request_other_than_the_one_sent() -> None:
    p, _, call = next(_plain_methods())
    with package(p.alias).Client(base_url="http://127.0.0.1:9", **credentials(p)) as client:
        sent = plain.first_request(client, *call)
        assert sent is not None
        step = client._calling(*call).send(None)
        other = (step[0], step[1], step[2] + "/elsewhere", step[3], step[4])
        with pytest.raises(RuntimeError, match="not the one already sent"):
            plain.answered(other, sent, httpx.ConnectError("refused"))
        with pytest.raises(httpx.ConnectError):  # the same request: its failure goes to the loop
            plain.answered((step[0], sent[0], *sent[1:]), sent, httpx.ConnectError("refused"))


def _first(want_read: bool) -> tuple[Provider, Method]:
    for p, m, _ in _plain_methods():
        if m.safety.kind == (Idempotency.SAFE if want_read else Idempotency.NONE):
            return p, m
    raise AssertionError("no plain " + ("read" if want_read else "write without a safe mechanism"))


def _run(p: Provider, m: Method, url: str, mode: str, **extra: Any) -> Any:
    options: dict[str, Any] = {
        "base_url": url,
        "max_retries": 2,
        "retry_delay": 0.0,
        **credentials(p),
        **extra,
    }
    kwargs = example_kwargs(p, m)
    if mode.startswith("sync"):
        if mode == "sync-httpx":
            options["transport"] = httpx.HTTPTransport()
        with package(p.alias).Client(**options) as client:
            return getattr(client, m.py_name)(**kwargs)
    if mode == "async-httpx":
        options["transport"] = httpx.AsyncHTTPTransport()

    async def run() -> Any:
        async with package(p.alias).AsyncClient(**options) as client:
            return await getattr(client, m.py_name)(**kwargs)

    return asyncio.run(run())


MODES = ("sync", "sync-httpx", "async", "async-httpx")
JSON = {"Content-Type": "application/json"}


def _answer(status: int) -> Canned:
    return Canned(status, json.dumps({"message": f"canned {status}"}).encode(), JSON)


@pytest.mark.parametrize("mode", MODES)
def test_a_plain_read_answered_503_is_retried_by_the_loop(mode: str) -> None:
    p, m = _first(want_read=True)
    with canned_server([_answer(503), _answer(404)]) as (url, seen), pytest.raises(Exception) as raised:
        _run(p, m, url, mode)
    assert getattr(raised.value, "status", None) == 404, repr(raised.value)
    assert len(seen) == 2  # the plain try, then the loop's retry


@pytest.mark.parametrize("mode", MODES)
def test_a_plain_write_answered_503_is_not_sent_again(mode: str) -> None:
    p, m = _first(want_read=False)
    with canned_server([_answer(503), _answer(200)]) as (url, seen), pytest.raises(Exception) as raised:
        _run(p, m, url, mode)
    assert getattr(raised.value, "status", None) == 503, repr(raised.value)
    assert len(seen) == 1


@pytest.mark.parametrize("mode", MODES)
def test_a_streamed_answer_over_the_limit_is_cut_at_the_limit(mode: str) -> None:
    """Read in chunks without a declared length: the plain try keeps exactly `max_response_bytes`."""
    p, m = _first(want_read=True)
    with MockServer.start(p, credentials=credentials(p)) as server:
        server.set_fault(m.name, Fault(huge=50_000))
        with pytest.raises(Exception) as raised:
            _run(p, m, server.url, mode, max_response_bytes=10_000, max_retries=0)
    assert type(raised.value).__name__ == "ResponseTooLargeError", repr(raised.value)
    assert len(raised.value.raw.content) == 10_000  # type: ignore[attr-defined]
