"""Stage 3, model: the typed IR built from the base spec and edits of it."""

from __future__ import annotations

import copy
import hashlib
from typing import Any

import pytest
from spec_support import BASE_FILE, base_data, dump, method, provider_of

from generator import ir
from generator.ir import Idempotency, Location


@pytest.fixture(scope="module")
def demo() -> ir.Provider:
    return provider_of(BASE_FILE.read_bytes(), "tests/broken_specs/_base.yaml.txt")


def test_provider(demo: ir.Provider) -> None:
    assert (demo.alias, demo.title, demo.docs_url) == ("demo", "Demo Pay", "https://docs.example.com/")
    assert demo.source_file == "tests/broken_specs/_base.yaml.txt"
    assert demo.spec_hash == hashlib.sha256(BASE_FILE.read_bytes()).hexdigest()
    assert [(e.name, e.url, e.default) for e in demo.environments] == [
        ("production", "https://api.example.com/v1", True),
        ("sandbox", "https://sandbox.example.com/v1", False),
    ]
    assert demo.default_environment.name == "production"
    assert demo.environment_flag == ir.EnvironmentFlag("testapi", "testapi", "Send requests to the sandbox", "sandbox")
    assert demo.base_url_env == "OPI_DEMO_BASE_URL"


def test_environment_default_is_the_first_when_unmarked_and_urls_lose_trailing_slash() -> None:
    data = base_data()
    data.pop("environment_flag")
    data["environments"] = [{"name": "live", "url": "https://x.example.com/api/"}]
    [env] = provider_of(dump(data)).environments
    assert (env.name, env.url, env.default) == ("live", "https://x.example.com/api", True)


def test_groups_and_positions(demo: ir.Provider) -> None:
    assert [(g.name, g.slug, g.position, [m.name for m in g.methods]) for g in demo.groups] == [
        ("Authorization", "Authorization", 1, ["GetToken"]),
        ("Refunds", "Refunds", 2, ["GetRefund", "ListRefunds", "CreateRefund"]),
    ]
    # a method's position counts within its group, in spec order
    assert [(m.name, m.group, m.position) for m in demo.methods] == [
        ("GetToken", "Authorization", 1), ("GetRefund", "Refunds", 1),
        ("ListRefunds", "Refunds", 2), ("CreateRefund", "Refunds", 3),
    ]


def test_positions_follow_spec_order_across_interleaved_groups() -> None:
    data = base_data()
    data["methods"].insert(2, data["methods"].pop(0))  # GetToken between two Refunds methods
    provider = provider_of(dump(data))
    assert [(m.name, m.position) for m in provider.methods] == [
        ("GetRefund", 1), ("ListRefunds", 2), ("GetToken", 1), ("CreateRefund", 3),
    ]


def test_method_names(demo: ir.Provider) -> None:
    m = demo.method("CreateRefund")
    assert (m.py_name, m.title, m.slug, m.http_method, m.path) == (
        "create_refund", "Create refund", "Create-refund", "POST", "/refunds",
    )
    assert (m.doc_title, m.doc_url) == ("Refunds", "https://docs.example.com/refunds")
    assert demo.method("GetRefund").path == "/refunds/{refund_id}"


def test_auth(demo: ir.Provider) -> None:
    [scheme] = demo.schemes
    assert (scheme.name, scheme.kind, scheme.token_method) == ("oauth", "oauth2", "GetToken")
    assert (scheme.token_field, scheme.expires_field) == ("access_token", "expires_in")
    [token] = scheme.inputs
    assert (token.name, token.option, token.env, token.secret) == ("token", "token", "OPI_DEMO_TOKEN", True)
    assert demo.auth == (("oauth",),)
    assert demo.method("GetToken").auth == ()  # auth: none
    assert demo.method("GetRefund").auth == (("oauth",),)  # the provider's default
    # the client fills the token method's parameters from its own keywords
    assert [(i.name, i.option, i.env) for i in demo.client_inputs] == [
        ("token", "token", "OPI_DEMO_TOKEN"), ("client_id", "client-id", "OPI_DEMO_CLIENT_ID"),
    ]


def test_input_names_and_secrecy_defaults() -> None:
    data = base_data()
    data["auth"]["schemes"]["pair"] = {
        "type": "basic",
        "username": {"name": "api_user", "description": "User"},
        "password": {"description": "Password"},
    }
    data["auth"]["schemes"]["key"] = {
        "type": "api_key", "header": "X-Key", "prefix": "Key ", "key": {"name": "api_key", "description": "Key"},
    }
    schemes = {s.name: s for s in provider_of(dump(data)).schemes}
    assert [(i.name, i.option, i.env, i.secret) for i in schemes["pair"].inputs] == [
        ("api_user", "api-user", "OPI_DEMO_API_USER", False),
        ("password", "password", "OPI_DEMO_PASSWORD", True),
    ]
    key = schemes["key"]
    assert (key.kind, key.header, key.prefix, key.inputs[0].secret) == ("api_key", "X-Key", "Key ", True)


def test_parameters(demo: ir.Provider) -> None:
    grant, client = demo.method("GetToken").parameters
    assert (grant.is_const, grant.const, grant.location, grant.required) == (True, "client_credentials", Location.BODY, False)
    assert (client.py_name, client.option, client.required, client.example) == ("client_id", "client-id", True, "shop-42")
    reason = demo.method("CreateRefund").parameters[2]
    assert (reason.has_default, reason.default, reason.required) == (True, "other", False)
    [refund_id] = demo.method("GetRefund").parameters
    assert (refund_id.location, refund_id.wire, refund_id.env) == (Location.PATH, "refund_id", "OPI_DEMO_REFUND_ID")


def test_wire_and_cli_names_come_from_field_and_cli() -> None:
    data = base_data()
    extra = {"name": "merchantRef", "field": "merchant.ref", "cli": "ref", "description": "Ref"}
    method(data, "ListRefunds")["parameters"].append({**extra, "in": "query", "schema": {"type": "string"}})
    param = provider_of(dump(data)).method("ListRefunds").parameters[1]
    assert (param.name, param.py_name, param.wire, param.option, param.env) == (
        "merchantRef", "merchant_ref", "merchant.ref", "ref", "OPI_DEMO_REF",
    )


TYPE_CASES: list[tuple[dict[str, Any], str, str, str, str | None]] = [
    ({"type": "string"}, "str", "string", "string", None),
    ({"type": "integer"}, "int", "integer", "integer", None),
    ({"type": "number"}, "float", "number", "number", None),
    ({"type": "boolean"}, "bool", "boolean", "boolean", None),
    ({"type": "string", "format": "date"}, "dt.date", "string (date)", "date", None),
    ({"type": "string", "format": "date-time"}, "dt.datetime", "string (date-time)", "datetime", None),
    ({"type": "string", "format": "uuid"}, "str", "string (uuid)", "string", None),
    ({"type": "object", "additionalProperties": True}, "dict[str, Any]", "object", "json", None),
    ({"type": "array", "items": {"type": "string"}}, "list[str]", "array of string", "json", None),
    ({"$ref": "#/schemas/Token"}, "Token | dict[str, Any]", "Token", "json", "Token"),
    ({"type": "array", "items": {"$ref": "#/schemas/Refund"}}, "list[(Refund | dict[str, Any])]",
     "array of Refund", "json", "Refund"),
    ({"$ref": "#/schemas/Status"}, "Literal['pending', 'done']", "string", "string", None),
]


@pytest.mark.parametrize(("schema", "python", "label", "cli", "model"), TYPE_CASES)
def test_type_mapping(schema: dict[str, Any], python: str, label: str, cli: str, model: str | None) -> None:
    data = base_data()
    data["schemas"]["Status"] = {"type": "string", "description": "A status.", "enum": ["pending", "done"]}
    m = method(data, "ListRefunds")
    m["parameters"][0]["schema"] = copy.deepcopy(schema)
    m["parameters"][0].pop("example")
    kind = provider_of(dump(data)).method("ListRefunds").parameters[0].type
    assert (kind.python, kind.label, kind.cli, kind.model) == (python, label, cli, model)
    assert kind.is_array == (schema.get("type") == "array")


def test_enum_values_and_meanings(demo: ir.Provider) -> None:
    reason = demo.method("CreateRefund").parameters[2].type
    assert reason.enum == ("duplicate", "fraud", "other")
    assert reason.python == "Literal['duplicate', 'fraud', 'other']"
    data = base_data()
    schema = method(data, "CreateRefund")["parameters"][2]["schema"]
    schema["x-enum-descriptions"] = ["Charged twice.", "Not the owner.", "Anything else."]
    typed = provider_of(dump(data)).method("CreateRefund").parameters[2].type
    assert typed.enum_descriptions == ("Charged twice.", "Not the owner.", "Anything else.")


def test_model_names(demo: ir.Provider) -> None:
    by_name = {m.name: m for m in demo.methods}
    assert (by_name["GetToken"].body_model, by_name["CreateRefund"].body_model) == ("TokenRequest", "CreateRefundRequest")
    assert (by_name["GetRefund"].params_model, by_name["ListRefunds"].params_model) == (
        "GetRefundParams", "ListRefundsParams",
    )
    assert by_name["CreateRefund"].params_model is None  # body parameters only
    assert [(r.status, r.model) for r in by_name["ListRefunds"].responses] == [(200, "ListRefundsResponse")]
    assert [(r.status, r.model) for r in by_name["GetRefund"].responses] == [(200, "Refund"), (404, "Failure")]
    assert demo.errors.model == "Failure"
    assert sorted(demo.schemas) == [
        "CreateRefundRequest", "Failure", "GetRefundParams", "ListRefundsParams", "ListRefundsResponse", "Refund",
        "Token", "TokenRequest",
    ]
    # refs use the JSON Schema form the renderers read
    assert demo.schemas["ListRefundsResponse"]["properties"]["items"]["items"] == {"$ref": "#/$defs/Refund"}
    body = demo.schemas["CreateRefundRequest"]
    assert list(body["properties"]) == ["reference", "amount", "reason"]
    assert body["required"] == ["reference", "amount"]
    assert demo.schemas["TokenRequest"]["required"] == ["grant_type", "client_id"]  # a const is always sent


def test_inline_error_schema_becomes_error_body() -> None:
    data = base_data()
    data["errors"]["schema"] = {"type": "object", "required": ["message"], "properties": {"message": {"type": "string"}}}
    provider = provider_of(dump(data))
    assert provider.errors.model == "ErrorBody"
    assert "ErrorBody" in provider.schemas
    assert provider.errors.message_paths == ("message",)
    assert provider.errors.answers["not_found"] == ir.ErrorAnswer(404, {"message": "{message}"})


def test_safety_kinds(demo: ir.Provider) -> None:
    assert demo.method("GetRefund").safety == ir.Safety(Idempotency.SAFE, None)
    assert demo.method("GetToken").safety == ir.Safety(Idempotency.NONE, None)
    create = demo.method("CreateRefund").safety
    assert (create.kind, create.field) == (Idempotency.UNIQUE_FIELD, "reference")
    assert create.lookup == ir.Lookup(method="list_refunds", parameter="reference", items="items", result=None)


def test_header_and_declared_none_safety() -> None:
    data = base_data()
    method(data, "CreateRefund")["idempotency"] = {"kind": "header", "header": "Idempotency-Key", "note": "Keyed."}
    method(data, "GetToken")["idempotency"] = {"kind": "none", "note": "Not documented."}
    provider = provider_of(dump(data))
    assert provider.method("CreateRefund").safety == ir.Safety(Idempotency.HEADER, "Keyed.", header="Idempotency-Key")
    assert provider.method("GetToken").safety == ir.Safety(Idempotency.NONE, "Not documented.")


def test_responses(demo: ir.Provider) -> None:
    success = demo.method("CreateRefund").success
    assert (success.status, success.is_success, success.model) == (201, True, "Refund")
    assert success.example == {"id": "rf_2", "reference": "R-1", "status": "pending"}
    not_found = demo.method("GetRefund").responses[1]
    assert (not_found.status, not_found.is_success, not_found.has_example) == (404, False, True)
