"""The OpenAPI 3.1 export: one valid document per provider, made from the IR alone, written by
`opigen openapi` and by `make generate` (as a provider renderer)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from mock_support import ALIASES, ROOT, new_provider, provider
from openapi_spec_validator import validate

from generator.contract import ErrorKind
from generator.ir import Location
from generator.pipeline import load_providers
from generator.render.openapi import document, render_openapi
from generator.render.registry import PROVIDER_RENDERERS

OPIGEN = str(Path(sys.executable).parent / "opigen")


def _operations(doc: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """operationId -> (path, verb, operation)."""
    return {op["operationId"]: (path, verb, op)
            for path, item in doc["paths"].items() for verb, op in item.items()}


@pytest.mark.parametrize("alias", ALIASES)
def test_exported_document_validates(alias: str) -> None:
    doc = document(provider(alias))
    assert doc["openapi"] == "3.1.0"
    validate(doc)


@pytest.mark.parametrize("alias", ALIASES)
def test_servers_come_from_environments_default_first(alias: str) -> None:
    p = provider(alias)
    urls = [s["url"] for s in document(p)["servers"]]
    assert urls[0] == p.default_environment.url
    assert sorted(urls) == sorted(e.url for e in p.environments)


@pytest.mark.parametrize("alias", ALIASES)
def test_security_schemes_come_from_auth(alias: str) -> None:
    p = provider(alias)
    doc = document(p)
    schemes = doc["components"]["securitySchemes"]
    assert list(schemes) == [s.name for s in p.schemes]
    for s in p.schemes:
        kind = schemes[s.name]["type"]
        expected = {"bearer": "http", "basic": "http", "api_key": "apiKey",
                    "oauth2": "oauth2"}[s.kind]
        assert kind == expected
        if s.kind == "api_key":
            assert schemes[s.name]["name"] == s.header
    assert doc["security"] == [{name: [] for name in alt} for alt in p.auth]


@pytest.mark.seed("cdek", "digitalriver")
def test_oauth_flows_follow_the_token_methods_grant() -> None:
    cdek = document(provider("cdek"))["components"]["securitySchemes"]["oauth"]["flows"]
    assert cdek == {"clientCredentials": {"tokenUrl": "https://api.cdek.ru/v2/oauth/token", "scopes": {}}}
    dr = document(provider("digitalriver"))["components"]["securitySchemes"]["oauth"]["flows"]
    assert dr == {"password": {"tokenUrl": "https://api.digitalriver.com/auth", "scopes": {}}}


@pytest.mark.parametrize("alias", ALIASES)
def test_every_method_is_an_operation_named_after_it(alias: str) -> None:
    p = provider(alias)
    ops = _operations(document(p))
    for m in p.methods:
        if m.name in ops:
            path, verb, op = ops[m.name]
            assert (path, verb.upper()) == (m.path, m.http_method)
            assert op["summary"] == m.title or m.title in op["summary"]
            assert op["security"] == [{name: [] for name in alt} for alt in m.auth]
        else:  # shares its path and HTTP method with another method
            shared = next(op for _, _, op in ops.values() if m.name in op.get("x-opigen-methods", []))
            assert shared["operationId"] == shared["x-opigen-methods"][0]


@pytest.mark.seed("paydo")
def test_methods_sharing_a_path_and_verb_become_one_operation() -> None:
    doc = document(provider("paydo"))
    op = doc["paths"]["/v1/refunds/user-refunds"]["get"]
    assert op["x-opigen-methods"] == ["GetRefund", "ListRefunds"]
    (identifier,) = op["parameters"]
    assert identifier["name"] == "query[identifier]" and identifier["required"] is False
    assert {"200", "401", "422"} <= set(op["responses"])


@pytest.mark.parametrize("alias", ALIASES)
def test_parameters_and_request_bodies(alias: str) -> None:
    p = provider(alias)
    doc = document(p)
    ops = _operations(doc)
    for m in p.methods:
        if m.name not in ops:
            continue
        op = ops[m.name][2]
        declared = {(q["in"], q["name"]): q for q in op.get("parameters", [])}
        for q in m.parameters:
            if q.location is Location.BODY:
                continue
            found = declared[(q.location.value, q.wire)]
            if "x-opigen-methods" not in op:  # a shared operation requires only what all its methods do
                assert found["required"] == (q.required or q.location is Location.PATH)
            if q.has_example:
                assert found["example"] == q.example
        if m.body_content is None:
            assert "requestBody" not in op
            continue
        (media, content), = op["requestBody"]["content"].items()
        assert media == {"json": "application/json", "form": "application/x-www-form-urlencoded"}[
            m.body_content]
        schema = doc["components"]["schemas"][m.body_model or ""]
        for q in m.parameters:
            if q.location is Location.BODY:
                assert q.wire in schema["properties"]
                assert (q.wire in schema.get("required", [])) == (q.required or q.is_const)
                if q.is_const:
                    assert schema["properties"][q.wire]["const"] == q.const
                    assert content["example"][q.wire] == q.const


@pytest.mark.parametrize("alias", ALIASES)
def test_responses_carry_the_documented_examples_and_the_servers_error_answers(alias: str) -> None:
    p = provider(alias)
    ops = _operations(document(p))
    for m in p.methods:
        if m.name not in ops:
            continue
        responses = ops[m.name][2]["responses"]
        success = responses[str(m.success.status)]
        if m.success.content == "binary":  # a file: its media type and a binary string, no inline example
            assert success["content"] == {m.success.media_type: {"schema": {"type": "string", "format": "binary"}}}
        else:
            assert success["content"]["application/json"]["example"] == m.success.example
        for h in m.success.headers:
            assert success["headers"][h.name]["example"] == h.example
        if m.auth:
            assert str(p.errors.answers[ErrorKind.UNAUTHORIZED.value].status) in responses
        if any(q.location is Location.PATH for q in m.parameters):
            assert str(p.errors.answers[ErrorKind.NOT_FOUND.value].status) in responses
        for r in m.responses:
            assert str(r.status) in responses


def test_documents_are_deterministic_and_end_with_a_newline() -> None:
    for alias in ALIASES:
        first = render_openapi(provider(alias))
        (path, text), = first.items()
        assert path == f"openapi/{alias}.json"
        assert text.endswith("}\n") and text.startswith('{\n  "openapi": "3.1.0"')
        again = render_openapi(load_providers([ROOT / "specs" / Path(provider(alias).source_file).name])[0])
        assert again == first


def test_the_renderer_is_registered_for_make_generate() -> None:
    assert render_openapi in PROVIDER_RENDERERS


def test_opigen_openapi_writes_one_document_per_provider(tmp_path: Path) -> None:
    result = subprocess.run([OPIGEN, "openapi", "--out", str(tmp_path), "--specs", str(ROOT / "specs")],
                            capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{a}.json" for a in ALIASES]
    for alias in ALIASES:
        written = (tmp_path / f"{alias}.json").read_text(encoding="utf-8")
        assert written == render_openapi(provider(alias))[f"openapi/{alias}.json"]
        validate(json.loads(written))


def test_a_new_spec_gets_its_export_for_free(tmp_path: Path) -> None:
    doc = document(new_provider(tmp_path))
    validate(doc)
    op = doc["paths"]["/widgets/{id}"]["get"]
    assert op["operationId"] == "GetWidget"
    assert op["security"] == [{"key": []}]
    assert doc["components"]["securitySchemes"]["key"] == {
        "type": "apiKey", "in": "header", "name": "X-Key", "description": "The key"}
    assert set(op["responses"]) == {"200", "400", "401", "404"}
    assert op["responses"]["400"]["content"]["application/json"]["example"]["field"] == "id"
