"""The OpenAPI export's account of where requests go (`generator/routes.py`): a method's own host as the
operation's `servers`, a method whose URL is a parameter under the path of that parameter's example (with
the example's origin as its server), and API keys in the path or the body, which OpenAPI's security
schemes cannot express, as the operation's path parameter or a body property instead."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from ..ir import AuthScheme, Method, Provider
from ..routes import BODY, PATH


def adjust(provider: Provider, doc: dict[str, Any]) -> None:
    """Rewrite a document made by `openapi.document` in place."""
    outside = {s.name: s for s in provider.schemes if s.location in (PATH, BODY)}
    paths: dict[str, dict[str, Any]] = doc["paths"]
    for method in provider.methods:
        op = paths.get(method.path, {}).get(method.http_method.lower())
        if op is None or op.get("operationId") != method.name:
            continue
        if method.host:
            op["servers"] = _servers(provider, method.host)
        for name in {n for alternative in method.auth for n in alternative if n in outside}:
            _credential(doc, op, method, outside[name])
        if method.url_parameter:
            _from_parameter(paths, op, method)
    if outside:
        schemes = doc["components"]["securitySchemes"]
        for name in outside:
            schemes.pop(name, None)
        doc["security"] = _without(doc["security"], outside)
        for item in paths.values():
            for op in item.values():
                op["security"] = _without(op.get("security", []), outside)


def _servers(provider: Provider, host: str) -> list[dict[str, str]]:
    return [{"url": dict(e.hosts)[host], "description": f"{e.name}: {e.description}"}
            for e in sorted(provider.environments, key=lambda e: not e.default)]


def _without(security: list[dict[str, list[str]]], names: dict[str, AuthScheme]) -> list[dict[str, list[str]]]:
    return [{k: v for k, v in alternative.items() if k not in names} for alternative in security]


def _described(scheme: AuthScheme) -> str:
    inputs = " ".join(" ".join(i.description.split()) for i in scheme.inputs)
    return f"Credential of the auth scheme '{scheme.name}': {inputs}"


def _credential(doc: dict[str, Any], op: dict[str, Any], method: Method, scheme: AuthScheme) -> None:
    """The key as the operation's path parameter or a property of its request body."""
    if scheme.location == PATH:
        op.setdefault("parameters", []).append({
            "name": scheme.wire, "in": "path", "required": True, "description": _described(scheme),
            "schema": {"type": "string"}, "x-opigen-credential": scheme.name,
        })
        return
    body = doc["components"]["schemas"].get(method.body_model or "")
    if body is not None:
        body.setdefault("properties", {})[scheme.wire] = {
            "type": "string", "writeOnly": True, "description": _described(scheme),
            "x-opigen-credential": scheme.name,
        }
        body["required"] = [*body.get("required", []), scheme.wire]


def _from_parameter(paths: dict[str, dict[str, Any]], op: dict[str, Any], method: Method) -> None:
    """`PUT {upload_url}`: under the example URL's path, on the example's origin."""
    param = next(p for p in method.parameters if p.py_name == method.url_parameter)
    example = urlsplit(str(param.example or "https://example.invalid/"))
    verb = method.http_method.lower()
    paths[method.path].pop(verb)
    if not paths[method.path]:
        del paths[method.path]
    op["parameters"] = [q for q in op.get("parameters", []) if not (q["in"] == "path" and q["name"] == param.wire)]
    if not op["parameters"]:
        del op["parameters"]
    op["servers"] = [{"url": f"{example.scheme}://{example.netloc}",
                      "description": f"The URL is the parameter '{param.wire}' (this is its example)."}]
    op["x-opigen-url-parameter"] = param.wire
    paths.setdefault(example.path or "/", {})[verb] = op
