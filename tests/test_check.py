"""Stage 2, check: each rule on its own, on in-memory edits of the base spec (generator.load.load_text)."""

from __future__ import annotations

import copy
import functools
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from spec_support import ROOT, base_data, dump, edited, method, problems_of

from generator.check import check
from generator.load import load_text
from generator.model import build
from generator.problems import SpecError

Data = dict[str, Any]


def found(edit: Callable[[Data], object]) -> list[tuple[str, str]]:
    return [(p.message, p.path) for p in edited(edit)]


def param(data: Data, method_name: str, name: str) -> Data:
    found_: Data = next(p for p in method(data, method_name)["parameters"] if p["name"] == name)
    return found_


def add_param(data: Data, method_name: str, **fields: Any) -> Data:
    method(data, method_name)["parameters"].append({"description": "A parameter.", **fields})
    return data


def test_real_specs_and_base_pass() -> None:
    for path in sorted((ROOT / "specs").glob("*.yaml")):
        assert problems_of(path.read_bytes(), path.name) == [], path.name
    assert problems_of(dump(base_data())) == []


# --- the format schema ------------------------------------------------------------------------------------
FORMAT_CASES: list[tuple[str, Callable[[Data], object], list[tuple[str, str]]]] = [
    ("format", lambda d: d.update(format=2), [("expected 1, got 2", "$.format")]),
    ("type", lambda d: d["provider"].update(title=7), [("expected a string, got an integer", "$.provider.title")]),
    ("type-null", lambda d: d["provider"].update(title=None), [("expected a string, got null", "$.provider.title")]),
    ("unknown", lambda d: d.update(servers=[]),
     [("unknown key 'servers' (allowed: auth, environment_flag, environments, errors, format, headers, methods, "
       "provider, schemas, webhooks)", "$.servers")]),
    ("typo-replaces-missing", lambda d: method(d, "GetRefund").update(titel=method(d, "GetRefund").pop("title")),
     [("unknown key 'titel'; did you mean 'title'?", "$.methods[1].titel")]),
    ("case-typo", lambda d: d["schemas"]["Token"].update(Required=["x"]),
     [("unknown key 'Required'; did you mean 'required'?", "$.schemas.Token.Required")]),
    ("many-allowed", lambda d: d["schemas"]["Token"].update(zzz=1), [("unknown key 'zzz'", "$.schemas.Token.zzz")]),
    ("missing", lambda d: d.pop("auth"), [("missing required key 'auth'", "$")]),
    ("scheme-without-type", lambda d: d["auth"]["schemes"]["oauth"].pop("type"),
     [("missing required key 'type'", "$.auth.schemes.oauth")]),
    ("scheme-extra", lambda d: d["auth"]["schemes"]["oauth"].update(header="X-Key"),
     [("unknown key 'header' (allowed: expires_field, refresh_field, token, token_field, token_method, type)",
       "$.auth.schemes.oauth.header")]),
    ("enum", lambda d: method(d, "GetRefund")["parameters"][0].update({"in": "cookie"}),
     [('"cookie" is not one of: "path", "query", "header", "body"', "$.methods[1].parameters[0].in")]),
    ("url", lambda d: d["provider"].update(docs_url="ftp://x"),
     [('"ftp://x" must be an http:// or https:// URL (quotes, spaces and the like percent-encoded)',
       "$.provider.docs_url")]),
    ("http", lambda d: method(d, "GetRefund").update(http="get /x"),
     [("\"get /x\" must be 'VERB /path' with VERB one of GET, POST, PUT, PATCH, DELETE and a path of URL characters",
       "$.methods[1].http")]),
    ("alias", lambda d: d["provider"].update(alias="Demo-Pay"),
     [('"Demo-Pay" must be lowercase letters and digits', "$.provider.alias")]),
    ("status", lambda d: method(d, "GetRefund")["responses"].update({"20": {"description": "x"}}),
     [("key \"20\" must be an HTTP status code such as '200'", "$.methods[1].responses.20")]),
    ("empty-text", lambda d: d["provider"].update(description=""), [("must not be empty", "$.provider.description")]),
    ("empty-list", lambda d: d.update(environments=[]), [("must not be empty", "$.environments")]),
    ("minimum", lambda d: d["errors"]["answers"]["validation"].update(status=200),
     [("200 is less than the minimum of 400", "$.errors.answers.validation.status")]),
]


@pytest.mark.parametrize(("edit", "expected"), [c[1:] for c in FORMAT_CASES], ids=[c[0] for c in FORMAT_CASES])
def test_format_schema(edit: Callable[[Data], object], expected: list[tuple[str, str]]) -> None:
    assert found(edit) == expected


def test_format_problems_stop_the_semantic_rules() -> None:
    # an unknown group would be a semantic problem; with a format problem only the format is reported
    def edit(d: Data) -> None:
        d.update(format=3)
        method(d, "GetRefund")["group"] = "Nope"

    assert found(edit) == [("expected 1, got 3", "$.format")]


# --- semantic rules ----------------------------------------------------------------------------------------
def set_ref(ref: str) -> Callable[[Data], object]:
    return lambda d: method(d, "GetRefund")["responses"]["200"]["schema"].update({"$ref": ref})


SEMANTIC_CASES: list[tuple[str, Callable[[Data], object], list[tuple[str, str]]]] = [
    ("dangling-ref", set_ref("#/schemas/Refunds"),
     [("$ref '#/schemas/Refunds' points at no schema (did you mean 'Refund'?)",
       "$.methods[1].responses.200.schema.$ref")]),
    ("dangling-ref-far", set_ref("#/schemas/Zebra"),
     [("$ref '#/schemas/Zebra' points at no schema (known: Failure, Token, Refund)",
       "$.methods[1].responses.200.schema.$ref")]),
    ("bad-ref", set_ref("Refund.yaml"),
     [("$ref 'Refund.yaml' must look like '#/schemas/Name'", "$.methods[1].responses.200.schema.$ref")]),
    ("self-ref", lambda d: d["schemas"]["Refund"]["properties"].update(parent={"$ref": "#/schemas/Refund"}),
     [("circular reference: Refund -> Refund", "$.schemas.Refund")]),
    ("schema-name", lambda d: d["schemas"].update(my_thing={"type": "string"}),
     [("schema name 'my_thing' must be PascalCase", "$.schemas.my_thing")]),
    ("no-type", lambda d: d["schemas"].update(Thing={"description": "x"}),
     [("schema needs 'type' or '$ref'", "$.schemas.Thing")]),
    ("enum-length", lambda d: d["schemas"]["Refund"]["properties"]["status"].update({"x-enum-descriptions": ["a"]}),
     [("x-enum-descriptions has 1 entries for 2 enum values",
       "$.schemas.Refund.properties.status.x-enum-descriptions")]),
    ("range", lambda d: param(d, "CreateRefund", "amount")["schema"].update(maximum=-1),
     [("minimum 0 is greater than maximum -1", "$.methods[3].parameters[1].schema.minimum"),
      ("example does not match its schema: 10.5 is greater than the maximum of -1",
       "$.methods[3].parameters[1].example")]),
    ("schema-example", lambda d: d["schemas"]["Token"]["properties"]["expires_in"].update(example="soon"),
     [("example does not match its schema: expected an integer, got a string",
       "$.schemas.Token.properties.expires_in.example")]),
    ("format-uuid", lambda d: param(d, "GetRefund", "refund_id").update(schema={"type": "string", "format": "uuid"}),
     [('example does not match its schema: "rf_1" is not a valid uuid', "$.methods[1].parameters[0].example")]),
    ("nested-example", lambda d: method(d, "ListRefunds")["responses"]["200"]["example"]["items"][0].update(status=1),
     [("example does not match its schema: expected a string, got an integer",
       "$.methods[2].responses.200.example.items[0].status")]),
    ("unknown-key-in-example", lambda d: d["schemas"]["Failure"].update(additionalProperties=False)
     or method(d, "GetRefund")["responses"]["404"]["example"].update(code=4),
     [("example does not match its schema: unknown key 'code'", "$.methods[1].responses.404.example.code")]),
    ("nullable-admits-null", lambda d: d["schemas"]["Refund"]["properties"]["reference"].update(nullable=True)
     or method(d, "GetRefund")["responses"]["200"]["example"].update(reference=None), []),
    ("null-needs-nullable", lambda d: method(d, "GetRefund")["responses"]["200"]["example"].update(reference=None),
     [("example does not match its schema: expected a string, got null",
       "$.methods[1].responses.200.example.reference")]),
    ("error-answer", lambda d: d["errors"]["answers"]["not_found"].update(body={"msg": "{message}"}),
     [("answer body does not match its schema: missing required key 'message'",
       "$.errors.answers.not_found.body")]),
    ("unknown-group", lambda d: method(d, "GetRefund").update(group="Refundz"),
     [("unknown group 'Refundz' (known: Authorization, Refunds)", "$.methods[1].group")]),
    ("unused-group", lambda d: d["provider"]["groups"].append({"name": "Spare"}),
     [("group 'Spare' has no methods", "$.provider.groups[2].name")]),
    ("duplicate-group", lambda d: d["provider"]["groups"].append({"name": "REFUNDS"}),
     [("duplicate group 'REFUNDS'", "$.provider.groups[2].name")]),
    ("no-default-env", lambda d: d["environments"][0].pop("default"),
     [("one environment must have 'default: true'", "$.environments")]),
    ("two-default-envs", lambda d: d["environments"][1].update(default=True),
     [("only one environment can be the default ('production' is)", "$.environments[1].default")]),
    ("single-env-needs-no-default", lambda d: d.update(environments=[{"name": "live", "url": "https://x.io"}])
     or d.pop("environment_flag"), []),
    ("flag-with-one-env", lambda d: d.update(environments=[{"name": "sandbox", "url": "https://x.io"}]),
     [("an environment flag needs a second environment", "$.environment_flag")]),
    ("flag-unknown-env", lambda d: d["environment_flag"].update(environment="qa"),
     [("unknown environment 'qa' (known: production, sandbox)", "$.environment_flag.environment")]),
    ("require-unknown", lambda d: d["auth"].update(require=[["oauth"], ["key"]]),
     [("unknown auth scheme 'key' (known: oauth)", "$.auth.require[1][0]")]),
    ("token-method-unknown", lambda d: d["auth"]["schemes"]["oauth"].update(token_method="Token"),
     [("unknown method 'Token'", "$.auth.schemes.oauth.token_method")]),
    ("token-method-own-scheme", lambda d: method(d, "GetToken").update(auth=[["oauth"]]),
     [("token method 'GetToken' cannot itself need scheme 'oauth' (give it 'auth: none' or another scheme)",
       "$.auth.schemes.oauth.token_method")]),
    ("input-twice", lambda d: d["auth"]["schemes"].update(
        static={"type": "api_key", "header": "X-Key", "key": {"name": "token", "description": "Key"}}),
     [("auth input 'token' is declared twice (first in scheme 'oauth')", "$.auth.schemes.static.key")]),
    ("input-keyword", lambda d: d["auth"]["schemes"]["oauth"]["token"].update(name="pass"),
     [("auth input name 'pass' is a Python keyword", "$.auth.schemes.oauth.token.name")]),
    ("input-reserved-py", lambda d: d["auth"]["schemes"]["oauth"]["token"].update(name="client"),
     [("auth input name 'client' is reserved by the generated client", "$.auth.schemes.oauth.token.name")]),
    ("duplicate-method", lambda d: method(d, "ListRefunds").update(name="GETREFUND"),
     [("duplicate method 'GETREFUND' ('GetRefund' differs only in case)", "$.methods[2].name"),
      ("unknown method 'ListRefunds'", "$.methods[3].idempotency.lookup.method")]),
    ("duplicate-title", lambda d: method(d, "ListRefunds").update(title="get REFUND"),
     [("duplicate title 'get REFUND' in group 'Refunds'", "$.methods[2].title")]),
    ("placeholder", lambda d: method(d, "GetRefund").update(http="GET /refunds/{refund_id}/{x}"),
     [("path placeholder '{x}' has no path parameter", "$.methods[1].http")]),
    ("path-param-not-in-path", lambda d: method(d, "GetRefund").update(http="GET /refunds"),
     [("path parameter 'refund_id' is not in the path '/refunds'", "$.methods[1].parameters[0]")]),
    ("path-param-by-field", lambda d: method(d, "GetRefund").update(http="GET /refunds/{id}")
     or param(d, "GetRefund", "refund_id").update(field="id"), []),
    ("path-param-optional", lambda d: param(d, "GetRefund", "refund_id").update(required=False),
     [("path parameters must be required: true", "$.methods[1].parameters[0].required")]),
    ("body-params-no-body", lambda d: method(d, "CreateRefund").pop("body"),
     [("parameters 'in: body' need a 'body' declaration on the method", "$.methods[3].parameters[0].in")]),
    ("body-no-params", lambda d: method(d, "GetRefund").update(body={"content": "json", "model": "X"}),
     [("GET requests cannot have a body", "$.methods[1].body"),
      ("body declared but no parameter is 'in: body'", "$.methods[1].body")]),
    ("form-object", lambda d: add_param(d, "GetToken", name="extra", schema={"type": "object"}, **{"in": "body"}),
     [("form bodies hold scalar fields only, not mappings (unless body.style is brackets)", "$.methods[0].parameters[2].schema")]),
    ("keyword", lambda d: add_param(d, "GetRefund", name="from", schema={"type": "string"}, **{"in": "query"}),
     [("parameter name 'from' is a Python keyword; rename it and keep the wire name in 'field'",
       "$.methods[1].parameters[1].name")]),
    ("builtin-after-case", lambda d: add_param(d, "GetRefund", name="ID", schema={"type": "string"}, **{"in": "query"}),
     [("parameter name 'ID' (Python 'id') is a Python builtin; rename it and keep the wire name in 'field'",
       "$.methods[1].parameters[1].name")]),
    ("reserved", lambda d: add_param(d, "GetRefund", name="timeout", schema={"type": "number"}, **{"in": "query"}),
     [("CLI option --timeout is reserved for the CLI itself", "$.methods[1].parameters[1].name"),
      ("parameter name 'timeout' is reserved by the generated client; rename it and keep the wire name in 'field'",
       "$.methods[1].parameters[1].name")]),
    ("case-collision", lambda d: add_param(d, "GetRefund", name="refundId", schema={"type": "string"},
                                           **{"in": "query"}),
     [("parameter 'refundId' (Python 'refund_id') collides with parameters[0] ('refund_id')",
       "$.methods[1].parameters[1].name")]),
    ("cli-reserved", lambda d: param(d, "ListRefunds", "reference").update(cli="test"),
     [("CLI option --test is reserved for the CLI itself", "$.methods[2].parameters[0].cli")]),
    ("cli-twice", lambda d: add_param(d, "ListRefunds", name="ref2", cli="reference", schema={"type": "string"},
                                      **{"in": "query"}),
     [("CLI option --reference is used twice (also parameters[0])", "$.methods[2].parameters[1].cli")]),
    ("cli-is-auth-option", lambda d: param(d, "ListRefunds", "reference").update(cli="token"),
     [("CLI option --token collides with the auth input 'token'", "$.methods[2].parameters[0].cli")]),
    ("token-method-input", lambda d: add_param(d, "ListRefunds", name="client_id", schema={"type": "string"},
                                               **{"in": "query"}),
     [("parameter 'client_id' collides with the client keyword 'client_id' (a parameter of token method GetToken)",
       "$.methods[2].parameters[1].name")]),
    ("header-wire-case", lambda d: [add_param(d, "ListRefunds", name=n, field=f, schema={"type": "string"},
                                              **{"in": "header"}) for n, f in (("a", "X-Trace"), ("b", "x-trace"))],
     [("two parameters send 'x-trace' in the header", "$.methods[2].parameters[2].field")]),
    ("const-default", lambda d: param(d, "GetToken", "grant_type").update(default="x"),
     [("a const parameter takes no 'default'", "$.methods[0].parameters[0].default")]),
    ("const-mismatch", lambda d: param(d, "GetToken", "grant_type").update(const=5),
     [("const does not match its schema: expected a string, got an integer", "$.methods[0].parameters[0].const")]),
    ("required-default", lambda d: param(d, "CreateRefund", "amount").update(default=1),
     [("a required parameter cannot have a default", "$.methods[3].parameters[1].default")]),
    ("required-no-example", lambda d: param(d, "CreateRefund", "amount").pop("example"),
     [("required parameter 'amount' needs an example", "$.methods[3].parameters[1]")]),
    ("no-2xx", lambda d: method(d, "GetRefund")["responses"].pop("200"),
     [("at least one 2xx response is required", "$.methods[1].responses")]),
    ("2xx-no-example", lambda d: method(d, "GetRefund")["responses"]["200"].pop("example"),
     [("a 2xx response needs an example (it is the docs' Result)", "$.methods[1].responses.200")]),
    ("2xx-array-is-fine", lambda d: method(d, "GetRefund")["responses"]["200"].update(
        schema={"type": "array", "items": {"$ref": "#/schemas/Refund"}}, example=[]), []),
    ("2xx-array-example-checked", lambda d: method(d, "GetRefund")["responses"]["200"].update(
        schema={"type": "array", "items": {"$ref": "#/schemas/Refund"}}, example=[1]),
     [("example does not match its schema: expected a mapping, got an integer",
       "$.methods[1].responses.200.example[0]")]),
    ("binary-without-media-type", lambda d: (method(d, "GetRefund")["responses"]["200"].update(
        content="binary", example="%PDF"), method(d, "GetRefund")["responses"]["200"].pop("schema")),
     [("a binary answer needs a 'media_type' (such as application/pdf)", "$.methods[1].responses.200")]),
    ("binary-with-json-media-type", lambda d: (method(d, "GetRefund")["responses"]["200"].update(
        content="binary", media_type="application/json", example="x"),
        method(d, "GetRefund")["responses"]["200"].pop("schema")),
     [("a binary answer is not JSON: use content: json", "$.methods[1].responses.200.media_type")]),
    ("text-not-text-media", lambda d: (method(d, "GetRefund")["responses"]["200"].update(
        content="text", media_type="application/pdf", example="x"),
        method(d, "GetRefund")["responses"]["200"].pop("schema")),
     [("a text answer's media type is text/*, not 'application/pdf'", "$.methods[1].responses.200.media_type")]),
    ("empty-with-example", lambda d: (method(d, "GetRefund")["responses"]["200"].update(content="empty"),
                                      method(d, "GetRefund")["responses"]["200"].pop("schema")),
     [("an empty answer has no body, so no 'example'", "$.methods[1].responses.200.example")]),
    ("json-with-media-type", lambda d: method(d, "GetRefund")["responses"]["200"].update(
        media_type="text/csv"),
     [("a JSON answer has no 'media_type'", "$.methods[1].responses.200.media_type")]),
    ("content-on-error", lambda d: method(d, "GetRefund")["responses"]["404"].update(content="text"),
     [("only a 2xx response declares its content; errors are the provider's error model",
       "$.methods[1].responses.404.content")]),
    ("error-without-example-is-fine", lambda d: method(d, "GetRefund")["responses"]["404"].pop("example"), []),
    ("error-own-schema", lambda d: method(d, "GetRefund")["responses"]["404"].update(
        schema={"type": "object", "required": ["code"], "properties": {"code": {"type": "integer"}}}),
     [("example does not match its schema: missing required key 'code'", "$.methods[1].responses.404.example")]),
    ("idempotency-get", lambda d: method(d, "ListRefunds").update(idempotency={"kind": "none"}),
     [("GET is safe to retry already; idempotency is for writes", "$.methods[2].idempotency")]),
    ("idempotency-header-extra", lambda d: method(d, "CreateRefund")["idempotency"].update(header="Idem-Key"),
     [("'header' goes with kind 'header', not 'unique_field'", "$.methods[3].idempotency.header")]),
    ("idempotency-field-with-none", lambda d: method(d, "CreateRefund").update(
        idempotency={"kind": "none", "field": "reference"}),
     [("'field' goes with kind 'unique_field', not 'none'", "$.methods[3].idempotency.field")]),
    ("idempotency-no-lookup", lambda d: method(d, "CreateRefund")["idempotency"].pop("lookup"),
     [("kind 'unique_field' needs 'field' and 'lookup'", "$.methods[3].idempotency")]),
    ("lookup-parameter", lambda d: method(d, "CreateRefund")["idempotency"]["lookup"].update(parameter="id"),
     [("method 'ListRefunds' has no parameter 'id'", "$.methods[3].idempotency.lookup.parameter")]),
    ("body-model-schema", lambda d: method(d, "GetToken")["body"].update(model="Token"),
     [("model name 'Token' (the body of GetToken) is already used by schema 'Token'", "$.methods[0].body.model")]),
    ("response-model", lambda d: d["schemas"].update(ListRefundsResponse={"type": "object"}),
     [("model name 'ListRefundsResponse' (the inline 200 answer of ListRefunds) is already used by schema "
       "'ListRefundsResponse'", "$.methods[2].responses.200.schema")]),
    ("response-model-by-ref-is-fine", lambda d: d["schemas"].update(GetRefundResponse={"type": "object"}), []),
    ("params-model", lambda d: d["schemas"].update(ListRefundsParams={"type": "object"}),
     [("model name 'ListRefundsParams' (the parameters of ListRefunds) is already used by schema "
       "'ListRefundsParams'", "$.methods[2].name")]),
    ("params-model-body-only-is-fine", lambda d: d["schemas"].update(CreateRefundParams={"type": "object"}), []),
    ("body-is-other-params", lambda d: method(d, "CreateRefund")["body"].update(model="GetRefundParams"),
     [("model name 'GetRefundParams' (the body of CreateRefund) is already used by the parameters of GetRefund",
       "$.methods[3].body.model")]),
    ("error-model", lambda d: d["errors"].update(schema={"type": "object", "properties": {"message": {
        "type": "string"}}}) or d["schemas"].update(ErrorBody={"type": "object"}),
     [("model name 'ErrorBody' (the inline error schema) is already used by schema 'ErrorBody'", "$.errors.schema")]),
]


@pytest.mark.parametrize(("edit", "expected"), [c[1:] for c in SEMANTIC_CASES], ids=[c[0] for c in SEMANTIC_CASES])
def test_semantic_rule(edit: Callable[[Data], object], expected: list[tuple[str, str]]) -> None:
    assert found(edit) == expected


def test_problems_are_sorted_and_unique() -> None:
    def edit(d: Data) -> None:
        method(d, "GetRefund").update(group="Nope")
        method(d, "ListRefunds").update(group="Nope")

    problems = edited(edit)
    assert problems == sorted(set(problems))
    assert [p.message for p in problems].count("unknown group 'Nope' (known: Authorization, Refunds)") == 2


def test_semantic_problems_point_at_the_source_line() -> None:
    text = dump(base_data()).decode().replace("group: Refunds\n  http: GET /refunds\n", "group: Nope\n  http: GET /refunds\n")
    [problem] = problems_of(text)
    line = text.splitlines()[problem.line - 1]
    assert line[problem.col - 1 :] == "Nope"


# --- no input makes the checker (or the model after it) crash ------------------------------------------------
VALUES: list[Any] = [None, 0, -1, 2.5, "", "x", "{message}", "#/schemas/Refund", "#/schemas/Nope", "GET /x/{y}",
                     [], {}, [[]], True, "none", {"type": "object"}, {"$ref": "#/schemas/Token"}, {"type": "array"},
                     "body", "path", "form", "oauth2", "unique_field", "GetToken", "ErrorBody", ["a", "a"],
                     {"type": "integer", "enum": [1, "a"]}, "2xx", "[a-", 1e308]
KEYS = ["type", "$ref", "required", "example", "default", "const", "enum", "field", "cli", "name", "auth", "body",
        "idempotency", "x-enum-descriptions", "items", "properties", "pattern", "in", "model", "kind"]


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


def _mutate(data: Data, rng: random.Random) -> None:
    path = rng.choice(_paths(data)[1:])
    parent: Any = data
    for part in path[:-1]:
        parent = parent[part]
    roll = rng.random()
    if roll < 0.4:
        parent[path[-1]] = copy.deepcopy(rng.choice(VALUES))
    elif roll < 0.65:
        del parent[path[-1]]
    elif isinstance(parent, dict):
        parent[rng.choice(KEYS)] = copy.deepcopy(rng.choice(VALUES))
    else:
        parent.append(copy.deepcopy(parent[path[-1]]))


def test_random_edits_give_problems_never_exceptions() -> None:
    rng = random.Random(20240611)
    sources = [base_data()] + [load_text(p.read_bytes(), p.name).data for p in sorted((ROOT / "specs").glob("*.yaml"))]
    outcomes = {"load": 0, "check": 0, "ok": 0}
    for _ in range(100):
        data = copy.deepcopy(rng.choice(sources))
        for _ in range(rng.randint(1, 3)):
            _mutate(data, rng)
        text = dump(data)
        try:
            doc = load_text(text, "fuzz.yaml")
        except SpecError:
            outcomes["load"] += 1
            continue
        if check(doc):
            outcomes["check"] += 1
            continue
        build(doc, "fuzz.yaml")  # a spec the checker passes must model without error
        outcomes["ok"] += 1
    assert outcomes["check"] > 40 and outcomes["ok"] > 5, outcomes


def test_checking_every_real_spec_is_quick() -> None:
    import time

    start = time.monotonic()
    for path in sorted(Path(ROOT / "specs").glob("*.yaml")):
        check(load_text(path.read_bytes(), path.name))
    assert time.monotonic() - start < 5


# --- how the rules are organised ----------------------------------------------------------------------------
def test_every_scope_has_rules_and_a_rule_needs_a_known_scope() -> None:
    from generator.check.core import _RULES, SCOPES, Phase, rule

    assert {scope for _, scope in _RULES} == set(SCOPES)
    assert {scope for phase, scope in _RULES if phase is Phase.STRUCTURE} == {"document", "schemas"}
    with pytest.raises(ValueError, match="unknown scope 'nope'"):
        rule("nope")


def test_a_dangling_ref_skips_only_the_example_checks() -> None:
    """Structure problems make examples uncheckable; the other semantic rules still run."""
    def edit(d: Data, dangle: bool) -> None:
        method(d, "GetRefund").update(group="Nope")
        d["errors"]["answers"]["validation"]["body"] = {"unexpected": "{message}"}
        if dangle:
            d["schemas"]["Token"]["properties"]["access_token"] = {"$ref": "#/schemas/Nope"}

    for dangle in (False, True):
        messages = [m for m, _ in found(functools.partial(edit, dangle=dangle))]
        assert "unknown group 'Nope' (known: Authorization, Refunds)" in messages
        assert any(m.startswith("$ref '#/schemas/Nope' points at no schema") for m in messages) is dangle
        assert any("does not match its schema" in m for m in messages) is not dangle
