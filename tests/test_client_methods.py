"""Every method of every provider, sync and async, over real HTTP against the contract server: the exact
method, path, query, headers and body the docs prescribe, and the typed result."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

import pytest
from client_support import (
    answered,
    credentials,
    example_kwargs,
    expected_request,
    package,
    provider,
    providers,
)
from provider_support import SEEDS

from generator.ir import Method, Provider
from generator.mock import MockServer, RecordedRequest

CALLS = [(p.alias, m.name, mode) for p in providers() for m in p.methods for mode in ("sync", "async")]


def call(p: Provider, server: MockServer, method: str, mode: str, **kwargs: Any) -> Any:
    pkg = package(p.alias)
    if mode == "sync":
        with pkg.Client(base_url=server.url, **credentials(p)) as client:
            return getattr(client, method)(**kwargs)

    async def run() -> Any:
        async with pkg.AsyncClient(base_url=server.url, **credentials(p)) as client:
            return await getattr(client, method)(**kwargs)

    return asyncio.run(run())


def check_auth(p: Provider, m: Method, rec: RecordedRequest) -> None:
    creds = credentials(p)
    schemes = {s.name: s for s in p.schemes}
    if not m.auth:
        assert "authorization" not in rec.headers
        return
    for name in m.auth[0]:
        scheme = schemes[name]
        values = [creds.get(i.name) for i in scheme.inputs]
        if scheme.kind == "bearer":
            assert rec.headers["authorization"] == f"Bearer {values[0]}"
        elif scheme.kind == "basic":
            pair = base64.b64encode(f"{values[0]}:{values[1]}".encode()).decode()
            assert rec.headers["authorization"] == f"Basic {pair}"
        elif scheme.kind == "api_key":
            assert scheme.header is not None
            assert rec.headers[scheme.header.lower()] == f"{scheme.prefix}{values[0]}"
        else:  # a token the server issued to this client: the server accepted it (2xx checked by the caller)
            token = rec.headers["authorization"].removeprefix("Bearer ")
            assert token and token not in creds.values()


@pytest.mark.parametrize(("alias", "name", "mode"), CALLS)
def test_every_method(servers: dict[str, MockServer], alias: str, name: str, mode: str) -> None:
    p = provider(alias)
    m = p.method(name)
    server = servers[alias]
    server.reset()
    kwargs = example_kwargs(p, m)
    result = call(p, server, m.py_name, mode, **kwargs)

    # Exactly one request for the method (an OAuth method is preceded by one token request).
    [rec] = answered(server, m.name)
    others = [r.route for r in server.requests if r.route != m.name]
    tokens = {s.token_method for s in p.schemes if s.token_method}
    assert others == (
        [next(iter(tokens))]
        if m.auth and any(s.kind == "oauth2" for s in p.schemes if s.name in m.auth[0])
        else []
    )

    want = expected_request(p, m, kwargs)
    assert rec.method == m.http_method
    assert rec.path == want.path
    assert rec.query == want.query
    assert rec.status == m.success.status
    if m.body_content is None:
        assert rec.body == b""
    elif m.body_content == "form":
        assert rec.headers["content-type"] == "application/x-www-form-urlencoded"
        assert rec.form == want.body
    else:
        assert rec.headers["content-type"] == "application/json"
        assert rec.json == want.body
    for header in p.headers:
        assert rec.headers[header.name.lower()] == header.value
    check_auth(p, m, rec)

    if check_other_answer(alias, m, result):
        return
    # The typed answer, with the raw answer behind it.
    model = getattr(package(alias), m.success.model or "RawResponse")
    assert type(result) is model
    raw = result.raw_response
    assert raw.status_code == m.success.status
    assert result.model_dump() == model.model_validate(raw.json()).model_dump()
    # The server answers the documented example, except where it plays state (tokens, unique records).
    lookups = {w.safety.lookup.method for w in p.methods if w.safety.lookup}
    if name not in tokens and m.safety.kind.value != "unique_field" and m.py_name not in lookups:
        assert raw.json() == m.success.example
    for header in m.success.headers:
        assert raw.headers[header.name] == header.example


def check_other_answer(alias: str, m: Method, result: Any) -> bool:
    """The result of an answer that is not a JSON object (an array or scalar, a file, text, nothing) as
    its kind promises; False for a JSON object, checked by the caller."""
    kind = m.success.content
    if kind == "json" and m.success.python is None:
        return False
    if kind == "json":  # a top-level array or scalar: the root model's value
        root = getattr(package(alias).models, m.success.model or "")
        assert result == root.model_validate(m.success.example).root
    elif kind == "binary":
        example = m.success.example
        assert result.content == (example if isinstance(example, bytes) else str(example).encode())
        assert result.raw_response.status_code == m.success.status
        assert result.content_type == (m.success.media_type or "application/octet-stream")
    elif kind == "text":
        assert result == m.success.example
    else:
        assert kind == "empty" and result is None
    return True


def test_body_model_instead_of_fields(servers: dict[str, MockServer]) -> None:
    """A body passed as its generated model is sent exactly like the same body given as keywords."""
    for p in providers():
        server = servers[p.alias]
        pkg = package(p.alias)
        for m in p.methods:
            if m.body_model is None:
                continue
            server.reset()
            kwargs = example_kwargs(p, m)
            body_wire = expected_request(p, m, kwargs).body
            outside = {q.py_name: kwargs[q.py_name] for q in m.parameters if q.location.value != "body"}
            body = getattr(pkg.models, m.body_model).model_validate(body_wire)
            result = call(p, server, m.py_name, "sync", body=body, **outside)
            [rec] = server.requests_for(m.name)
            form = m.body_content is not None and m.body_content == "form"
            assert (rec.form if form else rec.json) == body_wire, (p.alias, m.name)
            assert rec.status == m.success.status
            assert check_other_answer(p.alias, m, result) or result.raw_response.status_code == m.success.status


@pytest.mark.seed(*SEEDS)
def test_documented_requests_spelled_out(servers: dict[str, MockServer]) -> None:
    """A few requests written out by hand from the providers' pages, independent of the spec helpers."""
    cdek = servers["cdek"]
    cdek.reset()
    result = call(
        provider("cdek"),
        cdek,
        "create_customer_refund",
        "sync",
        uuid="f1799065-01de-448c-91cf-8afe7d4c0cfc",
        tariff=139,
    )
    token_rec, refund_rec = cdek.requests
    assert (token_rec.method, token_rec.path) == ("POST", "/oauth/token")
    assert token_rec.form == {
        "grant_type": "client_credentials",
        "client_id": "cdek-client_id-s3cr3t-value",
        "client_secret": "cdek-client_secret-s3cr3t-value",
    }
    assert (refund_rec.method, refund_rec.path) == (
        "POST",
        "/orders/f1799065-01de-448c-91cf-8afe7d4c0cfc/clientReturn",
    )
    assert refund_rec.body == b'{"tariff_code":139}'
    assert result.requests[0].state == "ACCEPTED"

    paydo = servers["paydo"]
    paydo.reset()
    refund = call(
        provider("paydo"),
        paydo,
        "create_refund",
        "sync",
        transaction_identifier="d839c714",
        refund_type=2,
        amount=10,
        metadata={"internal merchant id": "example"},
    )
    assert refund.raw_response.headers["identifier"] == "81962ed0-1111-2222-3333-b3dbf9750399"
    [rec] = paydo.requests
    assert rec.json == {
        "transactionIdentifier": "d839c714",
        "refundType": 2,
        "amount": 10,
        "metadata": {"internal merchant id": "example"},
    }
    assert rec.headers["authorization"] == "Bearer paydo-token-s3cr3t-value"
    found = call(provider("paydo"), paydo, "get_refund", "async", identifier="8888888-1111")
    assert paydo.requests[-1].query == {"query[identifier]": ["8888888-1111"]}
    assert found.data[0].status == 2

    geins = servers["geins"]
    geins.reset()
    call(provider("geins"), geins, "list_refunds", "sync", order_id=10457)
    [rec] = geins.requests
    assert rec.path == "/API/Order/10457/Refund/List"
    assert rec.headers["x-apikey"] == "geins-api_key-s3cr3t-value"
    user, _, password = (
        base64.b64decode(rec.headers["authorization"].removeprefix("Basic ")).decode().partition(":")
    )
    assert (user, password) == ("geins-api_user-s3cr3t-value", "geins-api_password-s3cr3t-value")

    dr = servers["digitalriver"]
    dr.reset()
    call(provider("digitalriver"), dr, "get_refunds_available", "sync", order_id="1234567890")
    token_rec, rec = dr.requests
    assert token_rec.path == "/auth"
    assert token_rec.headers["authorization"] == "Basic digitalriver-api_key-s3cr3t-value"
    assert token_rec.form == {
        "grant_type": "password",
        "username": "digitalriver-username-s3cr3t-value",
        "password": "digitalriver-password-s3cr3t-value",
    }
    assert rec.path == "/orders/1234567890/refunds-available"

    box = servers["invoicebox"]
    box.reset()
    call(provider("invoicebox"), box, "check_token", "async")
    [rec] = box.requests
    assert rec.headers["user-agent"] == "opi/0.1 (opigen 0.1)"
    assert rec.headers["accept"] == "application/json"
