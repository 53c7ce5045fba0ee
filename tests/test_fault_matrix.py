"""Every method of every provider, through its generated client (sync and async), under every fault the
contract server injects: each ends in its documented exception within the timeout, or (where the rules let
a call recover) in a real result; never a hang, a raw httpx/json/pydantic exception or a partial success.

The expected outcome is derived from the method's declared safety (read, write without a safe-retry
mechanism, write with a unique id and a lookup), not from a list of methods."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from client_support import (
    Canned,
    answered,
    canned_server,
    credentials,
    example_kwargs,
    invoke,
    package,
    provider,
    providers,
)

from generator.ir import Idempotency, Method, Provider
from generator.mock import Fault, MockServer

TIMEOUT = 0.3  # the clients' timeout, seconds
RETRIES = 1
LIMIT = 256 * 1024  # the clients' max_response_bytes here: a huge answer is 4 times that
MARGIN = 1.0  # seconds allowed on top of the tries' timeouts (token fetch, lookups, a loaded machine)
OPTIONS = {"timeout": TIMEOUT, "max_retries": RETRIES, "retry_delay": 0.0, "max_response_bytes": LIMIT}

FAULTS = {
    "slow": Fault(delay=2.0),  # far beyond the timeout: a lookup in between cannot see a late write
    "drop_before": Fault(drop="before"),
    "drop_after": Fault(drop="after"),
    "5xx_burst_long": Fault(status=503),  # outlasts the retries
    "5xx_burst_short": Fault(status=503, times=RETRIES),  # the last try gets through
    "429_retry_after": Fault(retry_after=0),
    "malformed_json": Fault(malformed=True),
    "html_error_page": Fault(html=True),  # 502 from a proxy
    "wrong_content_type": Fault(content_type="text/plain"),
    "huge_body": Fault(huge=4 * LIMIT),
}


@dataclass(frozen=True)
class Outcome:
    error: str | None  # the exception class name, or None: the call recovers and returns its result
    sent: int  # requests the method's route receives
    fewest: int | None = None  # when set, `sent` is a ceiling and this the floor
    looked_up: bool = False  # the result is the record the write's lookup method found


def expected(m: Method, fault: str) -> Outcome:
    """What the runtime's documented rules promise for this method under this fault."""
    tries = RETRIES + 1
    kind = m.safety.kind
    answered_badly = {
        "malformed_json": "ResponseValidationError",
        "wrong_content_type": "ResponseValidationError",
        "huge_body": "ResponseTooLargeError",
    }
    if fault == "huge_body" and kind is Idempotency.SAFE:
        # The whole answer must arrive within the timeout too: on a loaded machine reading up to the limit
        # can pass it, and a read that timed out is retried (ending in the same error).
        return Outcome("ResponseTooLargeError", tries, fewest=1)
    if fault in answered_badly:  # a success status: the request took effect, nothing is repeated
        return Outcome(answered_badly[fault], 1)
    if kind is Idempotency.NONE:  # sent exactly once, whatever happens
        lost = {"slow": "UncertainWriteError", "drop_before": "UncertainWriteError",
                "drop_after": "UncertainWriteError", "429_retry_after": "RateLimitError"}
        return Outcome(lost.get(fault, "ServerError"), 1)
    if kind is Idempotency.UNIQUE_FIELD:  # looked up after an uncertain try, re-sent when not found
        table = {
            "slow": Outcome("UncertainWriteError", tries),
            "drop_before": Outcome("UncertainWriteError", tries),
            "drop_after": Outcome(None, 1, looked_up=True),  # the write happened: the lookup finds it
            "5xx_burst_long": Outcome("ServerError", tries),
            "5xx_burst_short": Outcome(None, tries),
            "429_retry_after": Outcome("RateLimitError", tries),
            "html_error_page": Outcome("ServerError", tries),  # 5xx: looked up, not found, re-sent
        }
        return table[fault]
    assert kind in (Idempotency.SAFE, Idempotency.HEADER), kind  # repeated freely (the same key)
    table = {
        "slow": Outcome("TimeoutError", tries),
        "drop_before": Outcome("NetworkError", tries),
        "drop_after": Outcome("NetworkError", tries),
        "5xx_burst_long": Outcome("ServerError", tries),
        "5xx_burst_short": Outcome(None, tries),
        "429_retry_after": Outcome("RateLimitError", tries),
        "html_error_page": Outcome("ServerError", 1),  # 502 is not one of the retried statuses
    }
    return table[fault]


# The matrix's faults (malformed JSON, a wrong content type, ...) are about JSON answers; a file answer's
# faults are tested in tests/test_answer_kinds.py.
CASES = [(p.alias, m.name) for p in providers() for m in p.methods if m.success.content == "json"]
_FRESH = itertools.count()


def call_kwargs(p: Provider, m: Method) -> dict[str, Any]:
    """The example call; a unique client-chosen id is fresh each time, so that a late write of an earlier
    case cannot make this one a duplicate."""
    kwargs = example_kwargs(p, m)
    if m.safety.field:
        kwargs[m.safety.field] = f"FM-{next(_FRESH)}"
    return kwargs


# Each client runs on its default pool (sync: httpcore's without the httpx client layer; async: aiohttp's,
# without ClientSession's per-request layer) and on httpx's own transport; the async default also through
# `ClientSession.request`, which it falls back to where aiohttp's internals differ (aio_send.usable).
MODES = ["sync", "sync-httpx", "async", "async-session", "async-httpx"]


def make_client(pkg: Any, mode: str, **options: Any) -> Any:
    """A fresh client, blocking or async, on its default pool or on httpx's transport."""
    if mode == "sync":
        return pkg.Client(**options)
    if mode == "sync-httpx":
        return pkg.Client(transport=httpx.HTTPTransport(), **options)
    if mode == "async-httpx":
        return pkg.AsyncClient(transport=httpx.AsyncHTTPTransport(), **options)
    client = pkg.AsyncClient(**options)
    assert client._direct is not None and client._direct.fast, "the default async pool is aiohttp's, direct"
    if mode == "async-session":
        client._direct.fast = False
    return client


def io(mode: str) -> str:
    """How a mode's client is called: "sync" or "async"."""
    return mode.split("-")[0]


def run(server: MockServer, m: Method, mode: str, **options: Any) -> tuple[Any, BaseException | None, float]:
    """(result, exception, seconds) of one call on a fresh client."""
    p = server.provider
    pkg = package(p.alias)
    client = make_client(pkg, mode, base_url=server.url, **credentials(p), **{**OPTIONS, **options})
    started = time.monotonic()
    try:
        result = invoke(client, m, call_kwargs(p, m), io(mode))
    except BaseException as exc:  # judged by the caller: anything but the expected class fails
        return None, exc, time.monotonic() - started
    return result, None, time.monotonic() - started


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize(("alias", "name"), CASES)
def test_fault_ends_in_its_documented_outcome(
    servers: dict[str, MockServer], alias: str, name: str, fault: str, mode: str
) -> None:
    server = servers[alias]
    server.reset()
    p = provider(alias)
    m = p.method(name)
    pkg = package(alias)
    want = expected(m, fault)
    server.set_fault(name, FAULTS[fault])
    result, error, seconds = run(server, m, mode)
    server.clear_faults()
    if want.error is None:
        assert error is None, f"expected a result, got {error!r}"
        if m.success.python is not None:  # a top-level array or scalar: its value, typed
            # A top-level array comes as a list subclass that keeps `.raw_response`.
            assert m.success.python.split("[")[0] in {c.__name__ for c in type(result).__mro__}
        else:
            assert type(result).__name__ == m.success.model
            answered_by = m
            if want.looked_up:
                assert m.safety.lookup is not None
                answered_by = next(x for x in p.methods if x.py_name == m.safety.lookup.method)
            assert result.raw_response.status_code == answered_by.success.status
    else:
        assert result is None
        assert type(error) is getattr(pkg, want.error), f"expected {want.error}, got {error!r}"
        assert isinstance(error, pkg.OpiError)
    # Every try may use its whole timeout; anything else is quick.
    assert seconds < want.sent * TIMEOUT + MARGIN, f"took {seconds:.2f} s"
    if want.fewest is None:
        assert len(server.requests_for(name)) == want.sent
    else:
        assert want.fewest <= len(server.requests_for(name)) <= want.sent


# --- what the exceptions carry ------------------------------------------------------------------------------
@pytest.mark.seed("geins")
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_html_error_page_gives_a_short_message_and_keeps_the_page(
    servers: dict[str, MockServer], mode: str
) -> None:
    server = servers["geins"]
    server.reset()
    m = server.provider.method("GetRefund")
    server.set_fault(m.name, Fault(html=True, status=503))
    _, error, _ = run(server, m, mode)
    pkg = package("geins")
    assert isinstance(error, pkg.ServerError)
    assert error.message == "503 Service Unavailable"  # the page's title, not the page
    assert error.status == 503 and error.envelope is None
    assert len(str(error)) < 400
    assert error.raw.content.startswith(b"<!DOCTYPE html>") and len(error.raw.content) > 1000
    assert len(server.requests_for(m.name)) == RETRIES + 1  # 503 is retried for a read, HTML or not


@pytest.mark.seed("geins")
def test_plain_text_and_untitled_error_bodies_are_cut_short() -> None:
    p = provider("geins")
    pkg = package("geins")
    m = p.method("ListRefunds")
    answers = [
        Canned(502, b"upstream " * 5000, {"Content-Type": "text/plain"}),
        Canned(500, b"<html><body><p>" + b"oops " * 2000 + b"</p></body></html>", {}),
    ]
    with canned_server(answers) as (url, _), pkg.Client(base_url=url, max_retries=0, **credentials(p)) as c:
        with pytest.raises(pkg.ServerError) as caught:
            c.list_refunds(**example_kwargs(p, m))
        assert caught.value.message == ("upstream " * 40).strip()[:300]
        with pytest.raises(pkg.ServerError) as caught:
            c.list_refunds(**example_kwargs(p, m))
        assert caught.value.message == "Internal Server Error"  # no title: the status phrase


@pytest.mark.seed("paydo")
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_wrong_content_type_is_a_validation_error_with_the_raw_answer(
    servers: dict[str, MockServer], mode: str
) -> None:
    server = servers["paydo"]
    server.reset()
    p = server.provider
    m = p.method("CreateRefund")
    server.set_fault(m.name, Fault(content_type="text/plain"))
    _, error, _ = run(server, m, mode)
    pkg = package("paydo")
    assert type(error) is pkg.ResponseValidationError
    assert "'text/plain', not JSON" in str(error)
    assert error.status == m.success.status
    assert error.raw.json() is not None  # the body itself was fine: it is all there
    assert [r.status for r in answered(server, m.name)] == [m.success.status]


@pytest.mark.seed("geins")
def test_default_limit_stops_reading_a_huge_answer() -> None:
    """A 40 MiB answer against the default 16 MiB limit: reading stops there and memory stays bounded."""
    p = provider("geins")
    pkg = package("geins")
    m = p.method("GetRefund")
    with MockServer.start(p, credentials=credentials(p)) as server:
        server.set_fault(m.name, Fault(huge=40 * 1024 * 1024))
        with (
            pkg.Client(base_url=server.url, **credentials(p)) as client,
            pytest.raises(pkg.ResponseTooLargeError) as caught,
        ):
            client.get_refund(**example_kwargs(p, m))
    limit = 16 * 1024 * 1024
    assert caught.value.limit == limit and len(caught.value.raw.content) == limit
    assert isinstance(caught.value, pkg.ResponseValidationError)
    assert "max_response_bytes=16777216" in str(caught.value)


@pytest.mark.seed("geins")
@pytest.mark.parametrize("mode", MODES)
def test_declared_length_over_the_limit_is_not_read(mode: str) -> None:
    p = provider("geins")
    pkg = package("geins")
    m = p.method("ListRefunds")
    body = b'{"padding": "' + b"x" * 5000 + b'"}'
    with (
        canned_server([Canned(200, body, {"Content-Type": "application/json"})]) as (url, seen),
        pytest.raises(pkg.ResponseTooLargeError) as caught,
    ):
        client = make_client(pkg, mode, base_url=url, max_response_bytes=1000, **credentials(p))
        invoke(client, m, example_kwargs(p, m), io(mode))
    assert caught.value.raw.content == b""  # Content-Length said too much: nothing was read
    assert len(seen) == 1


@pytest.mark.seed("paydo")
def test_error_status_with_a_huge_body_is_cut_and_raised_as_its_status(
    servers: dict[str, MockServer],
) -> None:
    server = servers["paydo"]
    server.reset()
    m = server.provider.method("CreateRefund")
    server.set_fault(m.name, Fault(status=500, huge=4 * LIMIT))
    _, error, _ = run(server, m, "sync")
    pkg = package("paydo")
    assert type(error) is pkg.ServerError
    assert len(error.raw.content) == LIMIT and len(error.message) <= 300


@pytest.mark.seed("geins")
@pytest.mark.parametrize("mode", MODES)
def test_a_trickling_answer_cannot_outlast_the_timeout(mode: str) -> None:
    """httpx's read timeout is per chunk: a body arriving slowly, chunk by chunk, is cut by the runtime."""
    import socket
    import threading

    p = provider("geins")
    pkg = package("geins")
    m = p.method("GetRefund")
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
            while not stop.wait(0.1):  # 10 bytes every 0.1 s: each read well within the timeout
                try:
                    conn.sendall(b"          ")
                except OSError:
                    return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    started = time.monotonic()
    try:
        client = make_client(pkg, mode, base_url=f"http://127.0.0.1:{listener.getsockname()[1]}", timeout=0.5,
                             max_retries=0, **credentials(p))
        with pytest.raises(pkg.TimeoutError):
            invoke(client, m, example_kwargs(p, m), io(mode))
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()
    assert time.monotonic() - started < 0.5 + MARGIN


def _one_try(write: bool) -> tuple[Provider, Method]:
    """A JSON method of a spec in specs/ whose call sends one request (no token fetched first): a write
    (POST, PUT, PATCH, DELETE) or a read."""
    for p in providers():
        fetched = {s.name for s in p.schemes if s.issues_tokens}
        for m in p.methods:
            schemes = {name for option in m.auth for name in option}
            if (m.http_method != "GET") == write and m.success.content == "json" and not schemes & fetched:
                return p, m
    raise AssertionError(f"no {'write' if write else 'read'} without a fetched token in specs/")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("write", [False, True], ids=["read", "write"])
def test_a_connect_timeout_is_not_sent_and_ends_within_the_connect_timeout(mode: str, write: bool) -> None:
    """A server whose accept queue is full never completes the handshake: the connect timeout ends the try,
    and the failure says the request was not sent (a write is not reported as maybe received)."""
    import socket

    p, m = _one_try(write)
    pkg = package(p.alias)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)  # never accepts: one connection fills the queue, the next one's handshake waits
    filler = socket.create_connection(listener.getsockname(), timeout=2)
    started = time.monotonic()
    try:
        client = make_client(pkg, mode, base_url=f"http://127.0.0.1:{listener.getsockname()[1]}",
                             timeout=httpx.Timeout(5.0, connect=0.3), max_retries=0, **credentials(p))
        with pytest.raises(pkg.TimeoutError, match="could not connect in time"):
            invoke(client, m, call_kwargs(p, m), io(mode))
    finally:
        filler.close()
        listener.close()
    assert time.monotonic() - started < 0.3 + MARGIN


@pytest.mark.parametrize("mode", [mode for mode in MODES if io(mode) == "async"])
def test_a_call_cancelled_before_its_answer_leaves_that_answer_to_no_other_call(mode: str) -> None:
    """The first request is answered late (a 500), after its call was cancelled; the next call on the same
    client must get its own answer (a 200), not the late one off a connection handed back as it was."""
    import asyncio
    import threading

    from client_support import a_read_and_its_answer, head_server

    p, m, body, headers = a_read_and_its_answer()
    pkg = package(p.alias)
    answered_: list[bytes] = []

    def answer(head: bytes) -> bytes:
        answered_.append(head)
        first = len(answered_) == 1
        if first:
            threading.Event().wait(0.5)
        status, content = (b"500 Internal Server Error", b'{"message": "late"}') if first else (b"200 OK", body)
        lines = [b"HTTP/1.1 " + status, *(f"{k}: {v}".encode() for k, v in headers.items()),
                 b"Content-Length: " + str(len(content)).encode()]
        return b"\r\n".join(lines) + b"\r\n\r\n" + content

    async def go(url: str) -> Any:
        client = make_client(pkg, mode, base_url=url, timeout=5.0, max_retries=0, **credentials(p))
        async with client:
            call = getattr(client, m.py_name)
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(call(**example_kwargs(p, m)), 0.1)
            return await call(**example_kwargs(p, m))

    # Bounded: the cancelled call's connection and at most two more.
    with head_server(answer, 3) as (url, seen):
        result = asyncio.run(go(url))
    assert type(result).__name__ == m.success.model
    assert len(seen) == 2
