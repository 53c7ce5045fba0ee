"""Turning a method call into a validated request, before anything is sent.

Every keyword is checked against the spec with the method's generated models (types, required, enums,
lengths, ranges); an invalid call raises `ValidationError` naming the keyword and the rule.
"""

from __future__ import annotations

import importlib
import re
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import pydantic

from .encoders import REGISTRY as ENCODERS
from .errors import ValidationError
from .spec import BODY, HEADER, IDEMPOTENCY_HEADER, PATH, QUERY, Operation, Param, ProviderSpec
from .uploads import PARTS, FileBody, MultipartBody, Upload
from .uploads import problem as upload_problem
from .wire import brackets, text

QueryItems = list[tuple[str, str | int | float | bool | None]]


class Prepared:
    """A request ready to send (and to send again, byte for byte, when that is safe)."""

    __slots__ = ("content", "declared", "headers", "method", "path", "query", "target", "unique_value")

    def __init__(
        self,
        method: str,
        path: str,
        query: QueryItems,
        headers: dict[str, str],
        content: bytes | FileBody | MultipartBody | None,
        unique_value: Any = None,  # the unique client-chosen id of a write, if the spec declares one
    ) -> None:
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.content = content
        self.unique_value = unique_value
        self.target: Any = None  # a file answer's `out=` (download.DownloadTarget), streamed there
        self.declared: tuple[str, ...] = ()  # the media types the method declares for its success answer

    def close(self) -> None:
        """Close the files this call opened (a body streamed from disk)."""
        if isinstance(self.content, FileBody | MultipartBody):
            self.content.close()


class Shape:
    """What the runtime derives once per operation, the model classes included."""

    __slots__ = ("body", "by_wire", "names", "params", "response", "unique_wire")

    def __init__(self, spec: ProviderSpec, op: Operation[Any]) -> None:
        self.names = frozenset(p.name for p in op.params if not p.is_const)
        self.by_wire: dict[str, Param] = {p.wire: p for p in op.params}
        unique = next((p for p in op.params if p.name == op.safety.field), None)
        self.unique_wire = unique.wire if unique else None
        self.response = model_class(spec, op.response_model)
        self.params = model_class(spec, op.params_model)
        self.body = model_class(spec, op.body_model)


_SHAPES: dict[int, Shape] = {}


def shape(spec: ProviderSpec, op: Operation[Any]) -> Shape:
    found = _SHAPES.get(id(op))
    if found is None:
        found = _SHAPES[id(op)] = Shape(spec, op)
    return found


def model_class(spec: ProviderSpec, name: str | None) -> type[pydantic.BaseModel] | None:
    """A model of the provider by name; its module is imported on first use."""
    if name is None:
        return None
    model: type[pydantic.BaseModel] = getattr(importlib.import_module(spec.models), name)
    return model


def _where(loc: tuple[int | str, ...], info: Shape) -> str:
    """A pydantic error location as the caller wrote it: keyword name, then wire names and indexes."""
    if not loc:
        return "body"
    head, *rest = loc
    param = info.by_wire.get(str(head))
    out = param.name if param else str(head)
    for part in rest:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _problems(exc: pydantic.ValidationError, info: Shape) -> list[tuple[str, str]]:
    # Only the rule is reported, never the input: a rejected value may be a secret.
    return [(_where(e["loc"], info), f"{e['msg']} [{e['type']}]") for e in exc.errors(include_url=False)]


def _validate(
    model: type[pydantic.BaseModel], data: Any, info: Shape, problems: list[tuple[str, str]]
) -> pydantic.BaseModel | None:
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        problems.extend(_problems(exc, info))
        return None


_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*").fullmatch  # what `quote(..., safe="")` leaves as it is


def _in_path(value: str) -> str:
    """A path segment, percent-encoded (`quote` only when some character needs it: ids rarely do)."""
    return value if _UNRESERVED(value) else quote(value, safe="")


def prepare(spec: ProviderSpec, op: Operation[Any], args: Mapping[str, Any], body: Any) -> Prepared:
    """Validate a call and build its request; raise ValidationError and send nothing when it is invalid."""
    info = shape(spec, op)
    problems: list[tuple[str, str]] = [
        (k, "unexpected keyword argument") for k in args if k not in info.names
    ]
    fields: dict[str, Any] = {}
    params: dict[str, Any] = {}
    uploads: dict[str, Upload] = {}
    given_fields = False
    for p in op.params:
        if p.file:  # a file is checked here and streamed at sending, never validated by the body model
            value = args.get(p.name)
            if value is None:
                if p.required:
                    problems.append((p.name, "Field required [missing]"))
                continue
            why = upload_problem(value)
            if why is None:
                declared = op.features.get(PARTS)  # the parts' declared media types
                uploads[p.wire] = Upload(
                    value, p.wire, declared.get(p.wire) if isinstance(declared, dict) else None
                )
            else:
                problems.append((p.name, why))
            continue
        if p.is_const:
            value = p.const
        else:
            value = args.get(p.name)
            if value is None:
                value = p.default
            elif p.location == BODY:
                given_fields = True
            if value is None:
                continue
        if p.location == BODY:
            fields[p.wire] = value
        else:
            params[p.wire] = value

    if info.params is not None:
        model = _validate(info.params, params, info, problems)
        # Values as the caller gave them: a string passed validation and goes out unchanged (pydantic
        # would write a date-time again, `...18.139Z` as `...18.139000Z`); other values as dumped.
        # (Nothing to dump when every value is a string; the serializer is called without `model_dump`'s
        # Python wrapper: this runs on every call.)
        if model is not None and any(type(v) is not str for v in params.values()):
            dumped = model.__pydantic_serializer__.to_python(
                model, mode="json", by_alias=True, exclude_none=True
            )
            params = {**params, **{k: v for k, v in dumped.items() if not isinstance(params.get(k), str)}}

    content: bytes | FileBody | MultipartBody | None = None
    headers: dict[str, str] = {}
    if info.body is not None:
        if body is not None and given_fields:
            problems.append(("body", "pass either body= or the body's fields, not both"))
        data: Any = fields if body is None else body
        payload = data if isinstance(data, info.body) else _validate(info.body, data, info, problems)
        if payload is not None and not problems:
            content, media = ENCODERS[op.body_content or "json"](payload, uploads, op.body_media)
            if media:
                headers["Content-Type"] = media
            if body is not None and info.unique_wire is not None:
                fields = payload.model_dump(mode="json", by_alias=True, exclude_none=True)
    elif body is not None:
        problems.append(("body", "this method has no request body"))
    if problems:
        raise ValidationError(op.name, problems)

    path = op.path
    query: QueryItems = []
    for wire, value in params.items():
        location = info.by_wire[wire].location
        if location == PATH and path == "{" + wire + "}":  # the whole URL (routes.py)
            path = text(value)
        elif location == PATH:
            path = path.replace("{" + wire + "}", _in_path(text(value)))
        elif location == QUERY and info.by_wire[wire].style == "brackets":
            query += brackets(wire, value)
        elif location == QUERY:
            values = value if isinstance(value, list) else [value]
            query += [(wire, text(v)) for v in values]
        elif location == HEADER:
            headers[wire] = text(value)
    if op.safety.kind == IDEMPOTENCY_HEADER and op.safety.header:
        # One key per logical call, repeated on every retry of it.
        headers[op.safety.header] = str(uuid.uuid4())
    unique = fields.get(info.unique_wire) if info.unique_wire else None
    return Prepared(op.http_method, path, query, headers, content, unique)
