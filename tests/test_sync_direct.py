"""A sync client's own pool (`opi/_runtime/core_transport.py`): httpcore's, without the httpx client layer.

It must send the request `httpx.Client` would send (URL encoding, header lines and their order, body),
read the answer as the httpx path reads it (content decoding, size cap), and fail with the same httpx
exceptions. Checked against httpx itself on generated URLs and headers, and over real HTTP on 127.0.0.1
with every method of every spec in specs/; the fault matrix and money-safety suites run both sync pools."""

from __future__ import annotations

import gzip
import random
import socket
import threading
from typing import Any

import httpx
import pytest
from client_support import Canned, a_read_and_its_answer, canned_server, credentials, example_kwargs, package
from opi._runtime.core_transport import Direct
from provider_support import providers

from generator.ir import Method, Provider

DEFAULTS = httpx.Client().headers.raw
SSL = httpx.create_ssl_context()


Made = tuple[tuple[bytes, bytes, "int | None", bytes], bytes, str] | str


def _as_httpx(url: str, query: list[tuple[str, Any]]) -> Made:
    try:
        u = httpx.Request("GET", url, params=query or None).url
    except httpx.InvalidURL as exc:  # the direct pool must refuse it alike
        return repr(exc)
    return (u.raw_scheme, u.raw_host, u.port, u.raw_path), u.netloc, str(u)


def _as_direct(url: str, query: list[tuple[str, Any]]) -> Made:
    try:
        target, host, text, _ = Direct(DEFAULTS, SSL)._url(url, query)  # type: ignore[arg-type]
    except httpx.InvalidURL as exc:
        return repr(exc)
    return (target.scheme, target.host, target.port, target.target), host, text


BASES = [
    "http://127.0.0.1:8080",
    "https://API.Example.com",
    "https://api.example.com:443/v1",
    "http://[::1]:9/x",
]
PATHS = [
    "",
    "/",
    "/refunds/10457",
    "/orders/6f1d2c3b-4a5e-4f60-9b7a-8c9d0e1f2a3b/refund",
    "/a%2Fb/c%20d",
    "/a b/ü/€",
    "/a/./b/../c",
    "/.well-known/x",
    "/~user/(1);x=y,z*!$&'+@:",
    "/100%/zz%zz",
    '/a[1]/{b}/|c|/"d"/<e>/^f/`g`',
    "/a?b=c d&e",
    "/a#frag",
    "/%7e%7E",
]
QUERIES: list[list[tuple[str, Any]]] = [
    [],
    [("status", "open")],
    [("q", "a b&c=d/é"), ("n", 1), ("flag", True), ("n", 2)],
    [("ids[]", "1"), ("ids[]", "2"), ("empty", "")],
]


@pytest.mark.parametrize("base", BASES)
def test_urls_are_the_ones_httpx_sends(base: str) -> None:
    for path in PATHS:
        for query in QUERIES:
            assert _as_direct(base + path, query) == _as_httpx(base + path, query), (base + path, query)


def test_random_paths_are_the_ones_httpx_sends() -> None:
    rng = random.Random(20261201)  # fixed: the same cases every run
    alphabet = "aZ09-._~!$&'()*+,;=:@/%?#[]{}|\\^` \"<>éü€\t" + "%2F%7e%zz"
    for _ in range(3000):
        path = "/" + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        url = "http://127.0.0.1:8080" + path
        assert _as_direct(url, []) == _as_httpx(url, []), url


HEADER_CASES: list[tuple[str, dict[str, str], bytes | None]] = [
    ("GET", {}, None),
    ("GET", {"Authorization": "Basic eA==", "X-ApiKey": "k"}, None),
    ("POST", {"Content-Type": "application/json"}, b'{"amount": 1}'),
    ("POST", {}, None),
    ("PUT", {}, b""),
    ("PATCH", {"Idempotency-Key": "abc"}, None),
    ("DELETE", {}, None),
    ("POST", {"user-agent": "mine/1.0", "ACCEPT": "application/json"}, b"x"),
    ("GET", {"Host": "other.example"}, None),
    ("POST", {"Content-Length": "3"}, b"abc"),
]


@pytest.mark.parametrize(("method", "headers", "content"), HEADER_CASES)
def test_header_lines_are_the_ones_httpx_sends(
    method: str, headers: dict[str, str], content: bytes | None
) -> None:
    url = "http://127.0.0.1:8080/x"
    want = httpx.Client().build_request(method, url, headers=headers, content=content).headers.raw
    _, host, _, _ = Direct(DEFAULTS, SSL)._url(url, [])
    assert Direct(DEFAULTS, SSL)._headers(host, headers, content, method) == want


# --- over real HTTP ------------------------------------------------------------------------------------------
Recorded = list[tuple[str, list[tuple[str, str]], bytes]]  # request line, header lines as sent, body


def _options(p: Provider, pool: str, **extra: Any) -> dict[str, Any]:
    """A client's keywords for a pool: its own ("direct") or httpx's client layer ("httpx")."""
    transport = {"transport": httpx.HTTPTransport()} if pool == "httpx" else {}
    return {**credentials(p), **transport, **extra}


def _sent(p: Provider, m: Method, pool: str, url: str, seen: Recorded) -> tuple[Recorded, str]:
    """The requests one example call sends on a pool ("direct" or "httpx"), and how the call ended."""
    pkg = package(p.alias)
    seen.clear()
    with pkg.Client(base_url=url, **_options(p, pool, max_retries=0)) as client:
        assert (client._direct is not None) == (pool == "direct")
        try:
            getattr(client, m.py_name)(**example_kwargs(p, m))
            ended = "returned"
        except pkg.OpiError as exc:
            ended = type(exc).__name__
    key = (m.safety.header or "").lower()  # a new idempotency key per call
    return [
        (line, [(k, v) for k, v in headers if k.lower() != key], body) for line, headers, body in seen
    ], ended


CASES = [(p, m) for p in providers() for m in p.methods]


@pytest.mark.parametrize(("p", "m"), CASES, ids=[f"{p.alias}-{m.name}" for p, m in CASES])
def test_every_method_sends_the_same_request_on_both_pools(p: Provider, m: Method) -> None:
    seen: Recorded = []
    answer = Canned(404, b'{"message": "recorded"}', {"Content-Type": "application/json"})
    with canned_server([answer], seen) as (url, _):
        direct, ended = _sent(p, m, "direct", url, seen)
        assert direct, "nothing was sent"
        assert (direct, ended) == _sent(p, m, "httpx", url, seen)


@pytest.fixture(scope="module")
def success() -> tuple[Provider, Method, bytes, dict[str, str]]:
    return a_read_and_its_answer()


@pytest.mark.parametrize("pool", ["direct", "httpx"])
def test_a_gzip_answer_is_decoded_and_capped_after_decoding(
    success: tuple[Provider, Method, bytes, dict[str, str]], pool: str
) -> None:
    p, m, body, headers = success
    pkg = package(p.alias)
    packed = gzip.compress(body + b" " * 50_000)  # the padding compresses to almost nothing
    answer = Canned(200, packed, {**headers, "Content-Encoding": "gzip"})
    options = _options(p, pool, max_retries=0)
    with canned_server([answer]) as (url, _), pkg.Client(base_url=url, **options) as client:
        result = getattr(client, m.py_name)(**example_kwargs(p, m))
        assert result.raw_response.content == body + b" " * 50_000
    assert len(packed) < 10_000
    with (
        canned_server([answer]) as (url, _),
        pkg.Client(base_url=url, max_response_bytes=10_000, **options) as client,
        pytest.raises(pkg.ResponseTooLargeError) as caught,
    ):
        getattr(client, m.py_name)(**example_kwargs(p, m))
    assert len(caught.value.raw.content) == 10_000  # the limit counts decoded bytes
    broken = Canned(200, b"this is not gzip at all", {**headers, "Content-Encoding": "gzip"})
    with (
        canned_server([broken]) as (url, _),
        pkg.Client(base_url=url, **options) as client,
        pytest.raises(pkg.NetworkError),
    ):
        getattr(client, m.py_name)(**example_kwargs(p, m))


@pytest.mark.parametrize("pool", ["direct", "httpx"])
def test_a_refused_connection_is_the_same_typed_error_on_both_pools(
    success: tuple[Provider, Method, bytes, dict[str, str]], pool: str
) -> None:
    p, m, _, _ = success
    pkg = package(p.alias)
    with socket.create_server(("127.0.0.1", 0)) as spare:
        port = spare.getsockname()[1]  # closed when the block ends: nothing listens there
    options = _options(p, pool, max_retries=1, retry_delay=0.0)
    with (
        pkg.Client(base_url=f"http://127.0.0.1:{port}", **options) as client,
        pytest.raises(pkg.ConnectError) as e,
    ):
        getattr(client, m.py_name)(**example_kwargs(p, m))
    assert isinstance(e.value.__cause__, httpx.ConnectError)


def test_the_direct_pool_is_only_the_clients_own(monkeypatch: pytest.MonkeyPatch) -> None:
    p = providers()[0]
    pkg = package(p.alias)
    with pkg.Client(**credentials(p)) as own:
        assert isinstance(own._direct, Direct)
    with pkg.Client(transport=httpx.HTTPTransport(), **credentials(p)) as chosen:
        assert chosen._direct is None
    with httpx.Client() as http, pkg.Client(http_client=http, **credentials(p)) as given:
        assert given._direct is None
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    with pkg.Client(**credentials(p)) as proxied:
        assert proxied._direct is None  # the httpx.Client routes to the proxy


def test_threads_share_one_client_and_one_pool(
    success: tuple[Provider, Method, bytes, dict[str, str]],
) -> None:
    p, m, body, headers = success
    pkg = package(p.alias)
    results: list[Any] = []
    with (
        canned_server([Canned(200, body, headers)]) as (url, seen),
        pkg.Client(base_url=url, **credentials(p)) as client,
    ):
        start = threading.Barrier(8)

        def call() -> None:
            start.wait()  # all at once, on a pool not made yet
            for _ in range(5):
                results.append(getattr(client, m.py_name)(**example_kwargs(p, m)).raw_response.content)

        threads = [threading.Thread(target=call) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        pool = client._direct._pool
    assert results == [body] * 40 and len(seen) == 40
    assert pool is not None and not pool.connections  # closed with the client


@pytest.mark.parametrize("pool", ["direct", "httpx"])
def test_a_put_dropped_on_a_kept_alive_connection_is_not_sent_again(pool: str) -> None:
    """The server reads the PUT on the connection kept from the first request and closes it unanswered:
    a failure after sending (never "not sent"), and the pool does not send the PUT again by itself."""
    from opi._runtime.request import Prepared
    from test_async_transport import raw_server

    with raw_server(["answer", "drop"]) as (url, seen):
        if pool == "direct":
            direct = Direct(DEFAULTS, SSL)
            raw, cut = direct.exchange(Prepared("GET", "/first", [], {}, None), url + "/first", {}, 2.0, 1000)
            assert (raw.status_code, raw.content, cut) == (200, b"{}", False)
            with pytest.raises(httpx.TransportError) as caught:
                direct.exchange(Prepared("PUT", "/refund", [], {}, b"{}"), url + "/refund", {}, 2.0, 1000)
            direct.close()
        else:
            with httpx.Client() as http:
                assert http.get(url + "/first").status_code == 200
                with pytest.raises(httpx.TransportError) as caught:
                    http.put(url + "/refund", content=b"{}")
    # Closed or reset, depending on timing: either is "maybe received" for the call loop, never "not sent".
    assert isinstance(caught.value, httpx.RemoteProtocolError | httpx.ReadError), repr(caught.value)
    assert [h.split(b" ")[0] for h in seen] == [b"GET", b"PUT"]


def test_a_client_makes_one_ssl_context(
    success: tuple[Provider, Method, bytes, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its httpx.Client and its direct pool share one: each costs tens of ms to make, and a CLI run makes
    one client for one call."""
    import ssl

    p, m, body, headers = success
    made: list[ssl.SSLContext] = []
    original = ssl.create_default_context

    def counting(*args: Any, **kwargs: Any) -> ssl.SSLContext:
        made.append(original(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(ssl, "create_default_context", counting)
    with (
        canned_server([Canned(200, body, headers)]) as (url, _),
        package(p.alias).Client(base_url=url, **credentials(p)) as client,
    ):
        getattr(client, m.py_name)(**example_kwargs(p, m))
    assert len(made) == 1


@pytest.mark.parametrize("own", [False, True], ids=["no-header", "own-header"])
def test_a_user_and_password_in_the_url_are_sent_as_httpx_sends_them(own: bool) -> None:
    """As Basic auth in place of any `Authorization` of the call's own, and not in the request line."""
    from opi._runtime.request import Prepared

    seen: Recorded = []
    headers = {"Authorization": "Bearer the-call's-own"} if own else {}
    with canned_server([Canned(200, b"{}", {"Content-Type": "application/json"})], seen) as (url, _):
        base = url.replace("http://", "http://us%40er:p%3Ass@")
        pool = Direct(DEFAULTS, SSL)
        try:
            raw, _ = pool.exchange(Prepared("GET", "/x", [], {}, None), base + "/x", headers, 2.0, 1000)
            assert raw.status_code == 200
        finally:
            pool.close()
        with httpx.Client() as http:
            assert http.get(base + "/x", headers=headers).status_code == 200
    (line, ours, _), (line_, theirs, _) = seen
    assert line == line_ == "GET /x HTTP/1.1"
    assert dict(ours) == dict(theirs)
    assert dict(ours)["Authorization"] == "Basic dXNAZXI6cDpzcw==" and "@" not in dict(ours)["Host"]
