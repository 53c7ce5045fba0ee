"""One OpenAPI 3.1 document per provider (JSON), from the IR alone.

Responses list what the spec documents plus every error answer the contract server can give (see
`contract.error_uses`), so the document and the server agree. OpenAPI allows one operation per path and
HTTP method: spec methods that share both are exported as one operation named after the first, with
`x-opigen-methods` naming them all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..contract import (
    REASONS,
    ErrorKind,
    body_example,
    body_schema,
    error_uses,
    fill,
    normalize,
    parameter_schema,
)
from ..ir import AuthScheme, Location, Method, Parameter, Provider
from ..kinds import ANSWERS, AUTH, BODIES
from . import openapi_failures
from .openapi_accept import answer_content, not_acceptable
from .openapi_paging import EXTENSION, x_pagination
from .openapi_routes import adjust
from .openapi_webhooks import webhooks_section

OPENAPI = "3.1.0"
REFS = "#/components/schemas/"
JSON_MEDIA = "application/json"  # error answers: the provider's error envelope


def render_openapi(provider: Provider) -> dict[str, str]:
    return {f"openapi/{provider.alias}.json": to_text(document(provider))}


def to_text(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def document(provider: Provider) -> dict[str, Any]:
    description = provider.description
    if provider.credentials:
        description += "\n\n" + provider.credentials
    doc: dict[str, Any] = {
        "openapi": OPENAPI,
        "info": {
            "title": provider.title,
            "version": provider.spec_hash[:12],
            "description": description + _bullets("Errata", provider.errata),
        },
        "externalDocs": {"url": provider.docs_url},
        "servers": [
            {"url": e.url, "description": f"{e.name}: {e.description}"}
            for e in sorted(provider.environments, key=lambda e: not e.default)
        ],
        "tags": [{"name": g.name, "description": g.description} if g.description else {"name": g.name}
                 for g in provider.groups],
        "security": _security(provider.auth),
        "paths": _paths(provider),
        "components": {
            "schemas": _schemas(provider),
            "securitySchemes": {s.name: _scheme(provider, s) for s in provider.schemes},
        },
    }
    adjust(provider, doc)  # per-method hosts, URL parameters, keys in the path or the body
    if provider.webhooks is not None:
        doc["webhooks"] = webhooks_section(provider)
    return doc


def _bullets(title: str, lines: tuple[str, ...]) -> str:
    return f"\n\n{title}:\n" + "\n".join(f"- {' '.join(line.split())}" for line in lines) if lines else ""


def _security(auth: tuple[tuple[str, ...], ...]) -> list[dict[str, list[str]]]:
    return [{name: [] for name in alternative} for alternative in auth]


def _schemas(provider: Provider) -> dict[str, Any]:
    schemas = {name: normalize(schema, REFS) for name, schema in provider.schemas.items()}
    for method in provider.methods:
        if method.body_model:
            schemas[method.body_model] = body_schema(method, REFS)  # with the constants
    return dict(sorted(schemas.items()))


def _scheme(provider: Provider, scheme: AuthScheme) -> dict[str, Any]:
    description = " ".join(" ".join(i.description.split()) for i in scheme.inputs)
    return AUTH[scheme.kind].openapi(provider, scheme, description)


# --- operations ----------------------------------------------------------------------------------------
def _paths(provider: Provider) -> dict[str, Any]:
    shared: dict[tuple[str, str], list[Method]] = {}
    for method in provider.methods:
        shared.setdefault((method.path, method.http_method), []).append(method)
    paths: dict[str, dict[str, Any]] = {}
    for (path, verb), methods in shared.items():
        paths.setdefault(path, {})[verb.lower()] = _operation(provider, methods)
    return paths


def _description(method: Method) -> str:
    text = " ".join(method.description.split())
    text += _bullets("Notes", method.notes)
    if method.safety.note:
        text += "\n\nIdempotency: " + " ".join(method.safety.note.split())
    return text + _bullets("Errata", method.errata) + openapi_failures.description(method)


def _operation(provider: Provider, methods: list[Method]) -> dict[str, Any]:
    first = methods[0]
    op: dict[str, Any] = {"operationId": first.name}
    if len(methods) == 1:
        op["summary"] = first.title
        op["description"] = _description(first)
    else:
        op["summary"] = " / ".join(m.title for m in methods)
        op["description"] = "\n\n".join(f"**{m.name}**: {_description(m)}" for m in methods)
        op["x-opigen-methods"] = [m.name for m in methods]
    op["tags"] = list(dict.fromkeys(m.group for m in methods))
    op["externalDocs"] = {"description": first.doc_title, "url": first.doc_url}
    alternatives = list(dict.fromkeys(alt for m in methods for alt in m.auth))
    op["security"] = _security(tuple(alternatives))
    parameters = _parameters(methods)
    if parameters:
        op["parameters"] = parameters
    body = next((m for m in methods if m.body_content is not None), None)
    if body is not None and body.body_content is not None:
        kind = BODIES[body.body_content]
        if kind.takes_files or kind.whole:  # the kind lays its body out (files are not in the body model)
            schema, example = kind.openapi_body(body_schema(body, REFS), body_example(body))
            media = {"schema": schema} | ({} if example is None else {"example": example})
            declared = {p.wire: {"contentType": p.media_type} for p in body.parameters if p.media_type}
            if declared and not kind.whole:  # the parts' declared media types
                media["encoding"] = declared
            op["requestBody"] = {"required": True, "content": {kind.media_types(body.body_media)[0]: media}}
        else:
            op["requestBody"] = _request_body(body, kind.media_type)
    op["responses"] = _responses(provider, methods)
    paging = next((x for x in map(x_pagination, methods) if x is not None), None)
    if paging is not None:
        op[EXTENSION] = paging
    for method in methods:
        op.update(openapi_failures.extensions(method))
    return op


def _parameters(methods: list[Method]) -> list[dict[str, Any]]:
    seen: dict[tuple[str, str], Parameter] = {}
    for method in methods:
        for p in method.parameters:
            if p.location is not Location.BODY:
                seen.setdefault((p.location.value, p.wire), p)
    out = []
    for (location, wire), p in seen.items():
        required = p.location is Location.PATH or all(
            any(q.wire == wire and q.location.value == location and q.required for q in m.parameters)
            for m in methods
        )
        item: dict[str, Any] = {"name": wire, "in": location, "description": " ".join(p.description.split()),
                                "required": required, "schema": parameter_schema(p, REFS)}
        if p.has_example and p.examples:  # OpenAPI has either `example` or `examples`
            item["examples"] = {"default": {"value": p.example}, **{
                e.name: {**({"summary": e.summary} if e.summary else {}), "value": e.value} for e in p.examples}}
        elif p.has_example:
            item["example"] = p.example
        if p.style == "brackets" and p.type.cli == "json" and not p.type.is_array:
            item |= {"style": "deepObject", "explode": True}  # metadata[order_id]=37
        elif p.type.cli == "json" and not p.type.is_array and p.location is not Location.PATH:  # JSON text
            item["content"] = {"application/json": {"schema": item.pop("schema")}}
            for key in ("example", "examples"):
                if key in item:
                    item["content"]["application/json"][key] = item.pop(key)
        out.append(item)
    return out


def _request_body(method: Method, media_type: str) -> dict[str, Any]:
    fields = [p for p in method.parameters if p.location is Location.BODY]
    schema = {"$ref": REFS + method.body_model} if method.body_model else body_schema(method, REFS)
    schema = openapi_failures.body_schema(method, schema)
    return {
        "required": any(p.required or p.is_const for p in fields),
        "content": {media_type: {"schema": schema, "example": body_example(method)}},
    }


@dataclass
class _Entry:
    media_type: str
    content: dict[str, Any] | None = None  # a success answer's content as its kind lays it out
    descriptions: list[str] = field(default_factory=list)
    schemas: list[Any] = field(default_factory=list)
    example: Any = None
    has_example: bool = False
    headers: dict[str, Any] = field(default_factory=dict)
    examples: dict[str, Any] = field(default_factory=dict)  # named examples: `example` becomes "default"

    def add(self, description: str, schema: Any, example: Any, has_example: bool) -> None:
        if description not in self.descriptions:
            self.descriptions.append(description)
        if schema is not None and schema not in self.schemas:
            self.schemas.append(schema)
        if has_example and not self.has_example:
            self.example, self.has_example = example, True

    def render(self) -> dict[str, Any]:
        out: dict[str, Any] = {"description": " ".join(self.descriptions)}
        if self.headers:
            out["headers"] = self.headers
        if self.content is not None:
            if self.content:
                out["content"] = self.content
        elif self.schemas or self.has_example:
            media: dict[str, Any] = {}
            if self.schemas:
                media["schema"] = self.schemas[0] if len(self.schemas) == 1 else {"anyOf": self.schemas}
            if self.has_example and self.examples:  # OpenAPI has either `example` or `examples`
                media["examples"] = {"default": {"value": self.example}, **self.examples}
            elif self.has_example:
                media["example"] = self.example
            out["content"] = {self.media_type: media}
        return out


def _sample_field(method: Method) -> str:
    return next((p.wire for p in method.parameters), "field")


def _responses(provider: Provider, methods: list[Method]) -> dict[str, Any]:
    entries: dict[int, _Entry] = {}
    error_schema = normalize(provider.errors.schema, REFS)
    for method in methods:
        for r in method.responses:
            kind = ANSWERS[r.content]
            media_type = kind.media_type if r.is_success else JSON_MEDIA
            entry = entries.setdefault(r.status, _Entry(media_type))
            schema = normalize(r.schema, REFS) if r.schema is not None else None
            offered = answer_content(r, REFS) if r.is_success else None
            if offered is not None:  # several media types, chosen by Accept
                entry.content = {**(entry.content or {}), **offered}
                entry.add(" ".join(r.description.split()), None, None, False)
            elif r.is_success and not kind.needs_schema:  # a file, text or no body: the kind lays it out
                example = r.example if isinstance(r.example, str) else None
                entry.content = {**(entry.content or {}),
                                 **kind.openapi(r.media_type, schema, example, example is not None)}
                entry.add(" ".join(r.description.split()), None, None, False)
            else:
                entry.add(" ".join(r.description.split()), schema, r.example, r.has_example)
                for named in r.examples if r.is_success else ():
                    shown = {"summary": named.summary} if named.summary else {}
                    entry.examples.setdefault(named.name, {**shown, "value": named.value})
            for h in r.headers:
                header: dict[str, Any] = {"description": h.description, "schema": normalize(h.schema, REFS)}
                if h.example is not None:
                    header["example"] = h.example
                entry.headers.setdefault(h.name, header)
        refused = not_acceptable(provider, method)
        if refused is not None:
            entries.setdefault(refused[0], _Entry(JSON_MEDIA)).add(refused[1], error_schema, refused[2], True)
        for use in error_uses(provider, method):
            reason = REASONS[use.kind]
            field_name = _sample_field(method) if use.kind is ErrorKind.VALIDATION else ""
            example = fill(use.answer.body, reason, field_name)
            entries.setdefault(use.answer.status, _Entry(JSON_MEDIA)).add(reason, error_schema, example, True)
    return {str(status): entries[status].render() for status in sorted(entries)}
