"""The contract server over real HTTP, for every provider of specs/: auth refused and accepted, every
method's example call answered with its documented example, invalid input answered with the provider's
documented error shape, routing (typed path parameters, 404, 405)."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest
from mock_support import (
    ALIASES,
    call,
    client_for,
    credentials,
    example_request,
    message_at,
    provider,
    validation_answer,
)
from provider_support import declared_aliases, guarded, methods, with_feature

from generator.contract import ErrorKind, error_answer, fill, get_path, set_path
from generator.ir import Idempotency, Location, Method, Provider
from generator.mock import MockServer


def test_every_spec_is_covered() -> None:
    assert sorted(ALIASES) == declared_aliases()


def _expected_error(p: Provider, kind: ErrorKind, body: Any, field: str = "") -> Any:
    return fill(error_answer(p, kind).body, message_at(p, body), field)


def _guarded(p: Provider) -> Method:
    """A method that needs credentials and is not a token method."""
    found = guarded(p)
    assert found is not None
    return found


GUARDED = with_feature(guarded)  # the providers with such a method


# --- auth ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("server", GUARDED, indirect=True)
def test_missing_credentials_get_the_documented_unauthorized_answer(server: MockServer) -> None:
    p = server.provider
    m = _guarded(p)
    answer = call(server, m, auth=False)
    unauthorized = p.errors.answers["unauthorized"]
    assert answer.status_code == unauthorized.status
    assert answer.json() == _expected_error(p, ErrorKind.UNAUTHORIZED, answer.json())
    assert "Missing credentials" in message_at(p, answer.json())
    assert server.requests_for(m.name)[-1].status == unauthorized.status


@pytest.mark.parametrize("server", GUARDED, indirect=True)
@pytest.mark.parametrize("header", ["Bearer", "Basic !!!not-base64", "Token abc", "Bearer two words"])
def test_malformed_or_wrong_credentials_are_refused(server: MockServer, header: str) -> None:
    p = server.provider
    m = _guarded(p)
    headers = {"Authorization": header}
    for s in p.schemes:
        if s.kind == "api_key" and s.header:
            headers[s.header] = header
    with client_for(server) as client:
        request = example_request(m)
        request["headers"].update(headers)
        answer = client.request(**request)
    assert answer.status_code == p.errors.answers["unauthorized"].status
    assert answer.json() == _expected_error(p, ErrorKind.UNAUTHORIZED, answer.json())


@pytest.mark.parametrize("server", GUARDED, indirect=True)
def test_credentials_given_to_the_server_must_match_exactly(server: MockServer) -> None:
    p = server.provider
    m = _guarded(p)
    right = credentials(p)
    assert call(server, m, creds=right).status_code == m.success.status
    checked = [s for name in m.auth[0] for s in p.schemes if s.name == name and s.kind != "oauth2"]
    wrong = {k: v + "-wrong" for k, v in right.items()}
    if not checked:  # OAuth only: a token the server never issued
        with client_for(server) as client:
            request = example_request(m)
            request["headers"]["Authorization"] = "Bearer not-issued-by-this-server"
            answer = client.request(**request)
        assert answer.status_code == p.errors.answers["unauthorized"].status
        assert message_at(p, answer.json()) == "Invalid token"
        return
    answer = call(server, m, creds=wrong)
    assert answer.status_code == p.errors.answers["unauthorized"].status
    assert answer.json() == _expected_error(p, ErrorKind.UNAUTHORIZED, answer.json())


@pytest.mark.seed("geins")
def test_basic_and_api_key_are_both_required_when_the_spec_says_so() -> None:
    p = provider("geins")
    m = p.method("GetRefund")
    creds = credentials(p)
    with MockServer.start(p, credentials=creds) as server, client_for(server) as client:
        request = example_request(m)
        only_basic = httpx.BasicAuth(creds["api_user"], creds["api_password"])
        answer = client.request(**request, auth=only_basic)
        assert answer.status_code == 401
        assert answer.json() == {"Message": "Missing credentials: no X-ApiKey header", "Details": []}
        request["headers"]["X-ApiKey"] = creds["api_key"]
        answer = client.request(**request, auth=only_basic)
        assert answer.status_code == 200


# --- every method's example call ----------------------------------------------------------------------
def _lookup_methods(p: Provider) -> dict[str, str]:
    """Lookup method Python name -> dotted path of its items."""
    return {m.safety.lookup.method: m.safety.lookup.items for m in p.methods
            if m.safety.kind is Idempotency.UNIQUE_FIELD and m.safety.lookup}


@pytest.mark.parametrize(("alias", "name"), methods())
def test_example_call_is_answered_with_the_documented_example(scheme_servers: dict[str, MockServer], alias: str,
                                                               name: str) -> None:
    server = scheme_servers[alias]
    server.reset()
    p = server.provider
    m = p.method(name)
    answer = call(server, m, creds=credentials(p))
    success = m.success
    assert answer.status_code == success.status, answer.text
    for header in success.headers:
        assert answer.headers[header.name] == str(header.example)
    expected = copy.deepcopy(success.example)
    if success.content == "binary":  # a file: its bytes under its media type
        data = expected.encode("utf-8") if isinstance(expected, str) else expected  # a text example: UTF-8
        assert answer.content == data and answer.headers["content-type"] == success.media_type
        return
    body = answer.json()
    issuer = next((s for s in p.schemes if s.token_method == name), None)
    if issuer is not None:
        assert isinstance(get_path(body, issuer.token_field), str)
        assert get_path(body, issuer.token_field) != get_path(expected, issuer.token_field)
        assert get_path(body, issuer.expires_field) == get_path(expected, issuer.expires_field)
        expected = set_path(expected, issuer.token_field, get_path(body, issuer.token_field))
    elif m.safety.kind is Idempotency.UNIQUE_FIELD and m.safety.lookup:
        sent = example_request(m)["json"]
        result = m.safety.lookup.result or ""
        record = get_path(expected, result)
        record.update({k: v for k, v in sent.items() if k in record})
    elif m.py_name in _lookup_methods(p):
        # Filtered by the lookup parameter: the records created here (none yet).
        lookup = next(w.safety.lookup for w in p.methods
                      if w.safety.lookup and w.safety.lookup.method == m.py_name)
        assert lookup is not None
        filtered = any(q.py_name == lookup.parameter and q.has_example for q in m.parameters)
        expected = set_path(expected, lookup.items, []) if filtered else expected
    assert body == expected
    recorded = server.requests_for(name)[-1]
    assert recorded.status == success.status
    assert recorded.route == name


# --- validation ---------------------------------------------------------------------------------------
def _first_required(m: Method) -> Any:
    """The first required top-level body field with a plain JSON type (not an object reference)."""
    return next((q for q in m.parameters if q.location is Location.BODY and q.required
                 and isinstance(q.schema.get("type"), str)), None)


def _json_write(p: Provider) -> Method | None:
    """A method with a JSON body that has a required field of a plain type, if the provider has one."""
    return next((m for m in p.methods if m.body_content == "json" and _first_required(m)), None)


def _write_with_body(p: Provider) -> Method:
    found = _json_write(p)
    assert found is not None
    return found


JSON_WRITES = with_feature(_json_write)


@pytest.mark.parametrize("server", JSON_WRITES, indirect=True)
def test_wrong_type_in_body_gets_the_documented_validation_answer(server: MockServer) -> None:
    p = server.provider
    m = _write_with_body(p)
    param = _first_required(m)
    wrong = 12345 if param.schema.get("type") == "string" else "not a number"
    answer = call(server, m, creds=credentials(p), **{param.wire: wrong})
    status, body = validation_answer(p, m)
    assert answer.status_code == status
    message = f"{param.wire} must be of type {param.schema['type']}"
    assert answer.json() == fill(body, message, param.wire)


@pytest.mark.parametrize("server", JSON_WRITES, indirect=True)
def test_missing_required_field_gets_the_documented_validation_answer(server: MockServer) -> None:
    p = server.provider
    m = _write_with_body(p)
    param = _first_required(m)
    answer = call(server, m, creds=credentials(p), **{param.wire: None})
    status, body = validation_answer(p, m)
    assert answer.status_code == status
    assert answer.json() == fill(body, f"{param.wire} is required", param.wire)
    assert server.requests_for(m.name)[-1].json == {k: v for k, v in example_request(m)["json"].items()
                                                     if k != param.wire}


@pytest.mark.seed("paydo")
def test_paydo_answers_422_with_a_message() -> None:
    p = provider("paydo")
    with MockServer.start(p) as server:
        answer = call(server, p.method("CreateRefund"), amount="ten")
    assert answer.status_code == 422
    assert answer.json() == {"message": "amount must be of type number"}


@pytest.mark.seed("invoicebox")
def test_invoicebox_answers_its_error_envelope_with_fields() -> None:
    p = provider("invoicebox")
    with MockServer.start(p) as server:
        answer = call(server, p.method("CreateRefundOrder"), merchantOrderId="x" * 101)
    assert answer.status_code == 400
    message = "merchantOrderId must be at most 100 characters long"
    field = {"name": "merchantOrderId", "code": "invalid", "message": message}
    assert answer.json() == {"error": {"message": message, "code": "validation_error", "fields": [field]}}


@pytest.mark.seed("invoicebox")
def test_invoicebox_validates_nested_items_enums_and_reports_the_path() -> None:
    p = provider("invoicebox")
    m = p.method("CreateRefundOrder")
    items = copy.deepcopy(example_request(m)["json"]["basketItems"])
    items[0]["vatCode"] = "VAT99"
    with MockServer.start(p) as server:
        answer = call(server, m, basketItems=items)
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["fields"][0]["name"] == "basketItems.0.vatCode"
    enum = '"VATNONE", "RUS_VAT0", "RUS_VAT10", "RUS_VAT20"'
    assert error["message"] == f"basketItems.0.vatCode must be one of: {enum}"


@pytest.mark.seed("geins")
def test_geins_answers_its_envelope_with_details() -> None:
    p = provider("geins")
    with MockServer.start(p) as server:
        answer = call(server, p.method("CreateRefund"), RefundType=7)
    assert answer.status_code == 400
    assert answer.json() == {"Message": "RefundType must be one of: 0, 1, 2, 3",
                             "Details": ["RefundType: RefundType must be one of: 0, 1, 2, 3"]}


@pytest.mark.seed("geins")
@pytest.mark.parametrize("order_id", ["abc", "1.5", "%20"])
def test_geins_non_integer_order_id_gets_its_404_envelope(order_id: str) -> None:
    p = provider("geins")
    with MockServer.start(p) as server, client_for(server) as client:
        answer = client.get(f"/API/Order/{order_id}/Refund/List", auth=("user", "pass"),
                            headers={"X-ApiKey": "key"})
    assert answer.status_code == 404
    assert answer.json() == {"Message": "Not found: orderId must be an integer", "Details": []}


@pytest.mark.seed("cdek")
def test_path_parameter_with_a_wrong_format_gets_the_validation_answer() -> None:
    p = provider("cdek")
    with MockServer.start(p) as server:
        answer = call(server, p.method("GetOrder"), uuid="not-a-uuid")
    assert answer.status_code == 400
    assert message_at(p, answer.json()) == "uuid must be a valid uuid"


@pytest.mark.seed("cdek")
def test_form_body_is_validated_with_its_constants() -> None:
    p = provider("cdek")
    m = p.method("GetToken")
    with MockServer.start(p) as server:
        answer = call(server, m, grant_type="password")
        assert answer.status_code == 400
        assert message_at(p, answer.json()) == 'grant_type must be "client_credentials"'
        with client_for(server) as client:
            answer = client.post(m.path, json=example_request(m)["data"])
        assert answer.status_code == 400
        assert message_at(p, answer.json()) == "body must be application/x-www-form-urlencoded"


@pytest.mark.seed("paydo")
def test_malformed_json_body_gets_the_validation_answer() -> None:
    p = provider("paydo")
    m = p.method("CreateRefund")
    with MockServer.start(p) as server, client_for(server) as client:
        headers = {"Authorization": "Bearer t", "Content-Type": "application/json"}
        answer = client.post(m.path, content=b'{"amount": ', headers=headers)
        assert answer.status_code == 422
        assert answer.json() == {"message": "body must be valid JSON"}
        answer = client.post(m.path, content=b"[1, 2]", headers=headers)
        assert answer.json() == {"message": "body must be a JSON object"}


@pytest.mark.seed("invoicebox")
def test_query_parameters_are_validated() -> None:
    p = provider("invoicebox")
    with MockServer.start(p) as server:
        answer = call(server, p.method("ListRefundOrders"), status="lost")
    assert answer.status_code == 400
    assert answer.json()["error"]["fields"][0]["name"] == "status"


# --- routing ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("server", ALIASES, indirect=True)
def test_unknown_path_gets_the_not_found_answer(server: MockServer) -> None:
    p = server.provider
    answer = httpx.get(server.url + "/no/such/path")
    assert answer.status_code == p.errors.answers["not_found"].status
    assert answer.json() == _expected_error(p, ErrorKind.NOT_FOUND, answer.json())
    assert server.requests[-1].route is None


@pytest.mark.parametrize("server", ALIASES, indirect=True)
def test_undeclared_http_method_gets_405_with_allow(server: MockServer) -> None:
    m = server.provider.methods[0]
    request = example_request(m)
    answer = httpx.request("PATCH", server.url + request["url"], params=request["params"])
    assert answer.status_code == 405
    allowed = sorted({x.http_method for x in server.provider.methods if x.path == m.path})
    assert answer.headers["allow"] == ", ".join(allowed)


@pytest.mark.seed("geins")
def test_literal_segments_win_over_parameters() -> None:
    p = provider("geins")
    with MockServer.start(p) as server:
        assert call(server, p.method("ListRefunds")).status_code == 200
        assert call(server, p.method("GetRefund")).status_code == 200
        assert [r.route for r in server.requests] == ["ListRefunds", "GetRefund"]


@pytest.mark.seed("paydo")
def test_methods_sharing_a_path_are_told_apart_by_required_query() -> None:
    p = provider("paydo")
    with MockServer.start(p) as server:
        one = call(server, p.method("GetRefund"))
        every = call(server, p.method("ListRefunds"))
        assert one.json() == p.method("GetRefund").success.example
        assert every.json() == p.method("ListRefunds").success.example
        assert [r.route for r in server.requests] == ["GetRefund", "ListRefunds"]
