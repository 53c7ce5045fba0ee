"""Fault injection, per route, for every provider of specs/ with a write: delay, drop before or after handling, 5xx,
429 with Retry-After, malformed JSON, a proxy's HTML error page, a wrong Content-Type and a huge streamed
body; off unless asked for, and limited by `times`."""

from __future__ import annotations

import itertools
import json
import time

import httpx
import pytest
from mock_support import auth_headers, call, client_for, credentials, example_request, provider
from provider_support import with_feature

from generator.ir import Method, Provider
from generator.mock import Fault, MockServer


def _find_write(p: Provider) -> Method | None:
    """A write that is not a token method (its faults must not break fetching tokens), if there is one."""
    return next((m for m in p.methods if m.http_method != "GET"
                 and all(m.name != s.token_method for s in p.schemes)), None)


def _write(p: Provider) -> Method:
    found = _find_write(p)
    assert found is not None
    return found


WRITERS = with_feature(_find_write)  # the providers with such a write


_UNIQUE = itertools.count()


def _call(server: MockServer, timeout: float = 5.0) -> httpx.Response:
    """The write's example call; a unique field gets a fresh value, so repeated calls are not duplicates."""
    p = server.provider
    m = _write(p)
    fresh = {q.wire: f"U-{next(_UNIQUE)}" for q in m.parameters if q.py_name == m.safety.field}
    return call(server, m, creds=credentials(p), timeout=timeout, **fresh)


@pytest.mark.parametrize("server", WRITERS, indirect=True)
def test_no_fault_unless_asked_for(server: MockServer) -> None:
    m = _write(server.provider)
    assert _call(server).status_code == m.success.status


@pytest.mark.parametrize("server", WRITERS, indirect=True)
def test_drop_before_closes_the_connection_without_an_answer(server: MockServer) -> None:
    m = _write(server.provider)
    server.set_fault(m.name, Fault(drop="before", times=1))
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        _call(server)
    assert server.requests_for(m.name)[-1].status is None
    assert _call(server).status_code == m.success.status  # times=1: only the first request


@pytest.mark.parametrize("server", WRITERS, indirect=True)
def test_drop_after_handles_then_closes_without_an_answer(server: MockServer) -> None:
    m = _write(server.provider)
    server.set_fault(m.name, Fault(drop="after"))
    for _ in range(2):
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
            _call(server)
    assert [r.status for r in server.requests_for(m.name)] == [None, None]
    server.clear_faults()
    assert _call(server).status_code == m.success.status


@pytest.mark.parametrize("server", WRITERS, indirect=True)
def test_server_error_status_with_the_message_where_the_provider_puts_it(server: MockServer) -> None:
    p = server.provider
    m = _write(p)
    server.set_fault(m.name, Fault(status=503, times=2))
    for _ in range(2):
        answer = _call(server)
        assert answer.status_code == 503
        body = answer.json()
        path = p.errors.message_paths[0].split(".")
        for part in path:
            body = body[int(part)] if isinstance(body, list) else body[part]
        assert body == "Injected fault: HTTP 503"
    assert _call(server).status_code == m.success.status


@pytest.mark.parametrize("server", WRITERS, indirect=True)
def test_429_with_retry_after(server: MockServer) -> None:
    m = _write(server.provider)
    server.set_fault(m.name, Fault(status=429, retry_after=7, times=1))
    answer = _call(server)
    assert answer.status_code == 429
    assert answer.headers["retry-after"] == "7"
    server.set_fault(m.name, Fault(retry_after=2, times=1))  # Retry-After alone means 429
    answer = _call(server)
    assert (answer.status_code, answer.headers["retry-after"]) == (429, "2")


@pytest.mark.parametrize("server", WRITERS, indirect=True)
def test_malformed_json_answer(server: MockServer) -> None:
    m = _write(server.provider)
    server.set_fault(m.name, Fault(malformed=True, times=1))
    answer = _call(server)
    assert answer.status_code == m.success.status
    assert answer.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        json.loads(answer.content)
    assert _call(server).json() is not None


@pytest.mark.parametrize("server", WRITERS, indirect=True)
def test_delay_holds_the_answer(server: MockServer) -> None:
    m = _write(server.provider)
    server.set_fault(m.name, Fault(delay=0.3, times=1))
    started = time.monotonic()
    assert _call(server).status_code == m.success.status
    assert time.monotonic() - started >= 0.3
    server.set_fault(m.name, Fault(delay=1.0, times=1))
    with pytest.raises(httpx.ReadTimeout):
        _call(server, timeout=0.2)
    assert server.requests_for(m.name)[-1].status is None  # still waiting when the client gave up


@pytest.mark.seed("geins")
def test_faults_apply_per_route() -> None:
    p = provider("geins")
    with MockServer.start(p) as server:
        server.set_fault("GetRefund", Fault(status=500))
        assert call(server, p.method("ListRefunds")).status_code == 200
        assert call(server, p.method("GetRefund")).status_code == 500
        assert call(server, p.method("GetRefund")).status_code == 500
        server.reset()
        assert call(server, p.method("GetRefund")).status_code == 200


@pytest.mark.seed("paydo")
def test_status_fault_with_malformed_body() -> None:
    p = provider("paydo")
    with MockServer.start(p) as server:
        server.set_fault("CreateRefund", Fault(status=502, malformed=True))
        answer = call(server, p.method("CreateRefund"))
        assert answer.status_code == 502
        with pytest.raises(json.JSONDecodeError):
            answer.json()


@pytest.mark.seed("paydo")
def test_unknown_route_and_bad_faults_are_refused() -> None:
    p = provider("paydo")
    with MockServer.start(p) as server, pytest.raises(ValueError, match="no method 'Nope'"):
        server.set_fault("Nope", Fault(status=500))
    bad_faults: list[dict[str, object]] = [
        {"drop": "sideways"}, {"status": 99}, {"delay": -1}, {"times": 0}, {"retry_after": -1},
        {"huge": -1}, {"malformed": True, "huge": 10}, {"html": True, "malformed": True},
        {"html": True, "huge": 10}, {"html": True, "status": 200}, {"content_type": ""},
        {"content_type": "text/plain\r\nX-Injected: 1"}, {"content_type": "plain"},
    ]
    for bad in bad_faults:
        with pytest.raises(ValueError):
            Fault(**bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("server", WRITERS, indirect=True)
def test_html_error_page_like_a_proxy(server: MockServer) -> None:
    m = _write(server.provider)
    server.set_fault(m.name, Fault(html=True, times=1))  # html alone means 502
    answer = _call(server)
    assert answer.status_code == 502
    assert answer.headers["content-type"].startswith("text/html")
    assert "<title>502 Bad Gateway</title>" in answer.text and len(answer.text) > 1000
    with pytest.raises(json.JSONDecodeError):
        answer.json()
    assert server.requests_for(m.name)[-1].status == 502
    server.set_fault(m.name, Fault(html=True, status=503, retry_after=1, times=1))
    answer = _call(server)
    assert (answer.status_code, answer.headers["retry-after"]) == (503, "1")
    assert "<title>503 Service Unavailable</title>" in answer.text
    assert _call(server).status_code == m.success.status  # times=1: only the first request


@pytest.mark.parametrize("server", WRITERS, indirect=True)
def test_wrong_content_type_keeps_the_body(server: MockServer) -> None:
    m = _write(server.provider)
    server.set_fault(m.name, Fault(content_type="text/plain", times=1))
    answer = _call(server)
    assert answer.status_code == m.success.status  # handled: a success, only mislabelled
    assert answer.headers["content-type"] == "text/plain"
    assert answer.json() is not None  # the body is the JSON answer as usual
    server.set_fault(m.name, Fault(status=500, content_type="text/plain; charset=utf-8", times=1))
    answer = _call(server)
    assert (answer.status_code, answer.headers["content-type"]) == (500, "text/plain; charset=utf-8")
    assert _call(server).headers["content-type"] == "application/json"


@pytest.mark.parametrize("server", WRITERS, indirect=True)
def test_huge_body_is_streamed_without_a_length(server: MockServer) -> None:
    m = _write(server.provider)
    size = 5 * 1024 * 1024 + 3
    server.set_fault(m.name, Fault(huge=size, times=1))
    answer = _call(server)
    assert answer.status_code == m.success.status
    assert "content-length" not in answer.headers
    assert answer.headers["transfer-encoding"] == "chunked"
    assert len(answer.content) == size
    assert set(json.loads(answer.content)) == {"padding"}  # one valid JSON document
    assert len(server.requests_for(m.name)) == 1


@pytest.mark.seed("geins")
def test_huge_body_reader_who_gives_up_does_not_stop_the_server() -> None:
    p = provider("geins")
    m = p.method("GetRefund")
    with MockServer.start(p, credentials=credentials(p)) as server:
        server.set_fault(m.name, Fault(huge=200 * 1024 * 1024, times=1))
        request = example_request(m)
        with client_for(server) as client:
            request["headers"].update(auth_headers(client, p, m, credentials(p)))
            with client.stream(**request) as answer:
                first = next(answer.iter_bytes())
                assert first.startswith(b'{"padding": "')
            # The reader closed after one chunk; the server keeps answering others.
            assert call(server, m, creds=credentials(p)).status_code == m.success.status


@pytest.mark.seed("paydo")
def test_huge_error_status_body() -> None:
    p = provider("paydo")
    with MockServer.start(p) as server:
        server.set_fault("CreateRefund", Fault(status=500, huge=100_000))
        answer = call(server, p.method("CreateRefund"))
        assert answer.status_code == 500 and len(answer.content) == 100_000
