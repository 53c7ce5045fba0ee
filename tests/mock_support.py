"""Shared pieces of the contract-server tests: the providers of specs/, credentials, and requests built from a spec
method's examples, sent with httpx over real HTTP on 127.0.0.1."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from provider_support import ROOT, aliases, provider, providers
from provider_support import scheme_credentials as credentials

from generator.contract import get_path
from generator.ir import AuthScheme, Location, Method, Provider
from generator.mock import MockServer
from generator.pipeline import load_providers

ALIASES = tuple(aliases())
__all__ = ["ALIASES", "ROOT", "credentials", "provider", "providers"]


def scheme(p: Provider, name: str) -> AuthScheme:
    return next(s for s in p.schemes if s.name == name)


def client_for(server: MockServer) -> httpx.Client:
    """A client of the server (plain HTTP on loopback: no CA certificates to load, which is slow)."""
    return httpx.Client(base_url=server.url, timeout=5.0, verify=False)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)


def example_request(m: Method, **overrides: Any) -> dict[str, Any]:
    """httpx.request keywords for a call made of the method's examples (and constants); `overrides` set
    values by wire name (None removes one)."""
    path, params, headers, body = m.path, {}, {}, {}
    left_out = m.example_leaves_out()  # all but one of an "exactly one of" group
    for q in m.parameters:
        value = q.const if q.is_const else q.example if q.has_example and q.py_name not in left_out else None
        value = overrides.get(q.wire, value)
        if value is None:
            continue
        if q.location is Location.PATH:
            path = path.replace("{" + q.wire + "}", quote(_text(value), safe=""))
        elif q.location is Location.QUERY:
            params[q.wire] = _text(value)
        elif q.location is Location.HEADER:
            headers[q.wire] = _text(value)
        else:
            body[q.wire] = value
    request: dict[str, Any] = {"method": m.http_method, "url": path, "params": params, "headers": headers}
    if m.body_content == "form":
        request["data"] = {k: _text(v) for k, v in body.items()}
    elif m.body_content == "json":
        request["json"] = body
    return request


def fetch_token(client: httpx.Client, p: Provider, s: AuthScheme, creds: dict[str, str]) -> str:
    """A fresh token from the scheme's token method."""
    method = p.method(s.token_method or "")
    request = example_request(method)
    request["headers"].update(auth_headers(client, p, method, creds))
    answer = client.request(**request)
    assert answer.status_code == method.success.status, answer.text
    token = get_path(answer.json(), s.token_field)
    assert isinstance(token, str) and token
    return token


def auth_headers(client: httpx.Client, p: Provider, m: Method, creds: dict[str, str]) -> dict[str, str]:
    """Headers that satisfy the method's first auth alternative (fetching OAuth tokens as needed)."""
    headers: dict[str, str] = {}
    for name in m.auth[0] if m.auth else ():
        s = scheme(p, name)
        values = [creds.get(i.name, "any") for i in s.inputs]
        if s.kind == "bearer":
            headers["Authorization"] = f"Bearer {values[0]}"
        elif s.kind == "basic":
            headers["Authorization"] = "Basic " + base64.b64encode(":".join(values).encode()).decode()
        elif s.kind == "api_key":
            headers[s.header or ""] = s.prefix + values[0]
        else:
            headers["Authorization"] = f"Bearer {fetch_token(client, p, s, creds)}"
    return headers


def call(server: MockServer, m: Method, *, creds: dict[str, str] | None = None, auth: bool = True,
         timeout: float = 5.0, **overrides: Any) -> httpx.Response:
    """The method's example call, authorized as its spec requires (unless auth=False)."""
    with client_for(server) as client:
        request = example_request(m, **overrides)
        if auth:
            request["headers"].update(auth_headers(client, server.provider, m, creds or {}))
        return client.request(**request, timeout=timeout)


def validation_answer(p: Provider, m: Method) -> tuple[int, Any]:
    """(status, body template) of the contract server's answer to an invalid call of `m`: the method's
    failure inside a success answer when it declares one (`in_success`), else the spec's validation answer."""
    if m.in_success is not None:
        return m.in_success.status, m.in_success.body
    validation = p.errors.answers["validation"]
    return validation.status, validation.body


def message_at(p: Provider, body: Any) -> str:
    found = get_path(body, p.errors.message_paths[0])
    assert isinstance(found, str), body
    return found


NEW_SPEC = """\
format: 1
provider:
  alias: acme
  title: Acme
  description: A made-up provider for tests.
  docs_url: https://example.com/docs
  groups: [{name: Widgets, description: Widgets.}]
environments:
  - {name: production, url: 'https://api.example.com', description: Production., default: true}
auth:
  schemes:
    key: {type: api_key, header: X-Key, key: {name: api_key, description: The key, example: k}}
  require: [[key]]
errors:
  schema: {$ref: '#/schemas/Problem'}
  message: [detail]
  answers:
    unauthorized: {status: 401, body: {detail: '{message}'}}
    validation: {status: 400, body: {detail: '{message}', field: '{field}'}}
    not_found: {status: 404, body: {detail: '{message}'}}
schemas:
  Problem:
    type: object
    description: An error.
    properties:
      detail: {type: string, description: What went wrong.}
      field: {type: string, description: The field.}
  Widget:
    type: object
    description: A widget.
    required: [id, size]
    properties:
      id: {type: integer, description: Id., example: 7}
      size: {type: integer, description: Size., example: 3}
methods:
  - name: GetWidget
    title: Get widget
    description: Gets a widget
    group: Widgets
    http: GET /widgets/{id}
    doc: {title: Widgets, url: 'https://example.com/docs/widgets'}
    source: https://example.com/docs/widgets
    parameters:
      - {name: widget_id, in: path, field: id, required: true, description: Widget id,
         schema: {type: integer, minimum: 1}, example: 7}
    responses:
      '200':
        description: The widget.
        schema: {$ref: '#/schemas/Widget'}
        example: {id: 7, size: 3}
"""


def new_provider(folder: Path) -> Provider:
    """A made-up provider whose spec no code has seen before."""
    spec = folder / "acme.yaml"
    spec.write_text(NEW_SPEC, encoding="utf-8")
    (found,) = load_providers([spec])
    return found
