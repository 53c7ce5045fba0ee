"""Error answers become typed exceptions carrying status, the provider's message, its parsed envelope and
the raw body: every documented error answer of every provider, and the contract server's own refusals."""

from __future__ import annotations

import json
from typing import Any

import pytest
from client_support import (
    Canned,
    canned_server,
    credentials,
    example_kwargs,
    invoke,
    package,
    provider,
    providers,
    token_inputs,
)
from provider_support import guarded

from generator.contract import fill
from generator.ir import Provider
from generator.mock import Fault, MockServer

STATUS_CLASSES = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    409: "ConflictError",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
    500: "ServerError",
    502: "ServerError",
    503: "ServerError",
    418: "ApiError",
    410: "ApiError",
}


def class_for(status: int) -> str:
    """The documented class of a status: its own, ServerError for any 5xx, else the ApiError base."""
    return STATUS_CLASSES.get(status) or ("ServerError" if status >= 500 else "ApiError")


def dig(data: Any, path: str) -> Any:
    for part in path.split("."):
        data = data[int(part)] if isinstance(data, list) else data.get(part)
        if data is None:
            return None
    return data


def message_of(p: Provider, body: Any) -> str:
    for path in p.errors.message_paths:
        try:
            found = dig(body, path)
        except (IndexError, AttributeError):
            continue
        if found not in (None, "", [], {}):
            return found if isinstance(found, str) else json.dumps(found, ensure_ascii=False)
    raise AssertionError("no message in a documented answer")


def documented_errors() -> list[tuple[str, str, int, Any]]:
    """(alias, method, status, body) for every documented error answer: per-method examples, and the
    provider-wide answers filled in for a method that can receive them."""
    out = []
    for p in providers():
        for m in p.methods:
            out += [
                (p.alias, m.name, r.status, r.example)
                for r in m.responses
                if not r.is_success and r.has_example
            ]
        method = next((m for m in p.methods if m.auth), p.methods[0])
        for kind, answer in p.errors.answers.items():
            body = fill(answer.body, f"Documented {kind} answer", "field_name")
            out.append((p.alias, method.name, answer.status, body))
    return out


def client_for(p: Provider, url: str, mode: str, **options: Any) -> Any:
    """A client with a fixed token and without what would let it fetch another one: an error answer to a
    token is then raised as is, not refreshed (refreshing is tested in test_client_auth)."""
    pkg = package(p.alias)
    cls = pkg.Client if mode == "sync" else pkg.AsyncClient
    fetchers = {q.py_name for s in p.schemes if s.token_method for q in p.method(s.token_method).parameters}
    given = {k: v for k, v in credentials(p).items() if k not in fetchers}
    given.update({name: "canned-token-1234" for name in token_inputs(p)})
    return cls(base_url=url, max_retries=0, **given, **options)


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(("alias", "name", "status", "body"), documented_errors())
def test_documented_error_answer_raises_its_exception(
    alias: str, name: str, status: int, body: Any, mode: str
) -> None:
    p = provider(alias)
    m = p.method(name)
    pkg = package(alias)
    raw = json.dumps(body).encode()
    answer = Canned(status, raw, {"Content-Type": "application/json"})
    with canned_server([answer]) as (url, seen), pytest.raises(pkg.ApiError) as caught:
        invoke(client_for(p, url, mode), m, example_kwargs(p, m), mode)
    error = caught.value
    assert type(error) is getattr(pkg, class_for(status))
    assert error.status == status
    assert error.message == message_of(p, body)
    assert error.body == raw
    assert error.raw.status_code == status
    assert isinstance(error.envelope, getattr(pkg, p.errors.model))
    assert error.envelope.model_dump(mode="json", by_alias=True, exclude_none=True) == body
    assert str(error) == f"{name}: HTTP {status}: {error.message}"
    assert len(seen) == 1


@pytest.mark.seed("paydo")
@pytest.mark.parametrize("status", sorted(STATUS_CLASSES))
def test_every_status_family_has_its_class(status: int) -> None:
    p = provider("paydo")
    pkg = package("paydo")
    m = p.method("ListRefunds")
    with (
        canned_server([Canned(status, b'{"message": "Boom"}', {})]) as (url, _),
        pytest.raises(pkg.ApiError) as caught,
    ):
        invoke(client_for(p, url, "sync"), m, {}, "sync")
    assert type(caught.value) is getattr(pkg, STATUS_CLASSES[status])
    assert caught.value.message == "Boom"


@pytest.mark.seed("paydo")
def test_non_string_message_is_compact_json() -> None:
    p = provider("paydo")
    pkg = package("paydo")
    body = {"message": {"amount": ["This value should be greater than 0."]}}
    m = p.method("CreateRefund")
    with (
        canned_server([Canned(422, json.dumps(body).encode(), {})]) as (url, _),
        pytest.raises(pkg.UnprocessableEntityError) as caught,
    ):
        invoke(client_for(p, url, "sync"), m, example_kwargs(p, m), "sync")
    assert caught.value.message == '{"amount": ["This value should be greater than 0."]}'


@pytest.mark.seed("geins")
def test_error_without_json_body_keeps_text_and_has_no_envelope() -> None:
    p = provider("geins")
    pkg = package("geins")
    text = Canned(502, b"Bad gateway from the proxy", {"Content-Type": "text/plain"})
    with canned_server([text]) as (url, _), pytest.raises(pkg.ServerError) as caught:
        invoke(client_for(p, url, "sync"), p.method("ListRefunds"), {"order_id": 1}, "sync")
    assert caught.value.message == "Bad gateway from the proxy"
    assert caught.value.envelope is None
    with (
        canned_server([Canned(404, b"", {})]) as (url, _),
        pytest.raises(pkg.NotFoundError, match="HTTP 404"),
    ):
        invoke(client_for(p, url, "sync"), p.method("ListRefunds"), {"order_id": 1}, "sync")


def test_wrong_credentials_answered_by_the_contract_server() -> None:
    checked = 0
    for p in providers():
        pkg = package(p.alias)
        wrong = {name: "wrong-" + value for name, value in credentials(p).items()}
        method = next((m for m in p.methods if m.auth and m.http_method == "GET"), guarded(p))
        if method is None:  # nothing of this provider needs credentials
            continue
        checked += 1
        with (
            MockServer.start(p, credentials=credentials(p)) as server,
            pkg.Client(base_url=server.url, **wrong) as client,
            pytest.raises(pkg.ApiError) as caught,
        ):
            getattr(client, method.py_name)(**example_kwargs(p, method))
        assert caught.value.status == p.errors.answers["unauthorized"].status, p.alias
        assert caught.value.message in (
            "Invalid token",
            "Invalid client credentials",
            "Invalid API key",
            "Invalid user name or password",
        ), p.alias
        assert isinstance(caught.value.envelope, getattr(pkg, p.errors.model))
    assert checked


def test_unknown_route_is_not_found_with_the_provider_envelope() -> None:
    """The provider's declared not-found answer (its status, whatever it is) raises that status's class."""
    for p in providers():
        pkg = package(p.alias)
        method = next((m for m in p.methods if m.http_method == "GET"), p.methods[0])
        given = {**credentials(p), **{name: "any-token-1234" for name in token_inputs(p)}}
        status = p.errors.answers["not_found"].status
        with (
            MockServer.start(p) as server,
            pkg.Client(base_url=server.url + "/nowhere", max_retries=0, **given) as client,
            pytest.raises(pkg.ApiError) as caught,
        ):
            getattr(client, method.py_name)(**example_kwargs(p, method))
        assert type(caught.value) is getattr(pkg, class_for(status)), p.alias
        assert caught.value.status == status, p.alias
        assert caught.value.message, p.alias
        assert isinstance(caught.value.envelope, getattr(pkg, p.errors.model)), p.alias


@pytest.mark.seed("invoicebox")
def test_duplicate_unique_id_is_a_conflict() -> None:
    p = provider("invoicebox")
    pkg = package("invoicebox")
    m = p.method("CreateRefundOrder")
    with MockServer.start(p) as server, pkg.Client(base_url=server.url, token="t-1234") as client:
        client.create_refund_order(**example_kwargs(p, m))
        with pytest.raises(pkg.ConflictError) as caught:
            client.create_refund_order(**example_kwargs(p, m))
        assert "merchantOrderId must be unique" in caught.value.message
        assert caught.value.envelope.error.code == "duplicate"
        assert len(server.requests_for("CreateRefundOrder")) == 2  # each call sent once; nothing repeated


@pytest.mark.seed("geins")
def test_injected_fault_statuses_map_to_classes() -> None:
    p = provider("geins")
    pkg = package("geins")
    with MockServer.start(p) as server, pkg.Client(base_url=server.url, max_retries=0, **credentials(p)) as c:
        for status, name in STATUS_CLASSES.items():
            server.set_fault("GetRefund", Fault(status=status, times=1))
            with pytest.raises(pkg.ApiError) as caught:
                c.get_refund(order_id=1, refund_id="6f1d2c3b-4a5e-4f60-9b7a-8c9d0e1f2a3b")
            assert type(caught.value) is getattr(pkg, name)
            assert caught.value.message == f"Injected fault: HTTP {status}"


@pytest.mark.seed("paydo")
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_malformed_success_answer_is_reported_not_repeated(mode: str) -> None:
    p = provider("paydo")
    pkg = package("paydo")
    m = p.method("CreateRefund")
    with MockServer.start(p, credentials=credentials(p)) as server:
        server.set_fault("CreateRefund", Fault(malformed=True))
        client = (pkg.Client if mode == "sync" else pkg.AsyncClient)(base_url=server.url, **credentials(p))
        with pytest.raises(pkg.ResponseValidationError) as caught:
            invoke(client, m, example_kwargs(p, m), mode)
        assert len(server.requests_for("CreateRefund")) == 1
    assert caught.value.status == 200
    assert caught.value.raw.headers["identifier"]  # the refund was made: its id is still reachable
    assert "succeeded but the answer does not match the spec" in str(caught.value)


@pytest.mark.seed("cdek", "paydo")
def test_exception_tree() -> None:
    from opi._runtime import errors

    pkg = package("cdek")
    assert issubclass(pkg.ValidationError, pkg.OpiError) and issubclass(pkg.ValidationError, ValueError)
    for name in ("ConnectError", "TimeoutError", "NetworkError", "UncertainWriteError"):
        assert issubclass(getattr(pkg, name), pkg.TransportError)
    for name in set(STATUS_CLASSES.values()) - {"ApiError"}:
        assert issubclass(getattr(pkg, name), pkg.ApiError)
    for name in errors.__all__:
        assert name in (errors.__doc__ or ""), f"{name} missing from the documented tree"
        assert getattr(pkg, name) is getattr(errors, name)  # one hierarchy shared by every provider
        assert getattr(package("paydo"), name) is getattr(errors, name)
