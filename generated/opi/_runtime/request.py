"""Turning a method call into a validated request, before anything is sent.

Every keyword is checked against the spec with the method's generated models (types, required, enums,
lengths, ranges); an invalid call raises `ValidationError` naming the keyword and the rule.
"""

from __future__ import annotations

import importlib
import re
import types
import typing
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import pydantic

from .encoders import REGISTRY as ENCODERS
from .errors import ValidationError
from .spec import BODY, IDEMPOTENCY_HEADER, PATH, QUERY, Operation, Param, ProviderSpec
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


# Where a non-body parameter goes, decided once per operation (`Shape.places`).
_URL, _PATH, _BRACKETS, _QUERY, _HEADER = range(5)


class Shape:
    """What the runtime derives once per operation, the model classes included, so that a call does
    only the per-call work (prepare runs on every call: about 5 µs here, against a call's 100+ µs)."""

    __slots__ = (
        "body",
        "by_wire",
        "fields",
        "files",
        "inputs",
        "key_header",
        "names",
        "params",
        "places",
        "response",
        "same",
        "unique_wire",
    )

    def __init__(self, spec: ProviderSpec, op: Operation[Any]) -> None:
        self.names = frozenset(p.name for p in op.params if not p.is_const)
        self.by_wire: dict[str, Param] = {p.wire: p for p in op.params}
        unique = next((p for p in op.params if p.name == op.safety.field), None)
        self.unique_wire = unique.wire if unique else None
        self.response = model_class(spec, op.response_model)
        self.params = model_class(spec, op.params_model)
        self.body = model_class(spec, op.body_model)
        # (keyword or None for a constant, wire name, default or constant), in spec order: the parameters
        # of the URL, query and headers, and the body's fields
        self.inputs = tuple(_input(p) for p in op.params if not p.file and p.location != BODY)
        self.fields = tuple(_input(p) for p in op.params if not p.file and p.location == BODY)
        self.files = tuple(p for p in op.params if p.file)
        self.places = {p.wire: (_place(op, p), "{" + p.wire + "}") for p in op.params if p.location != BODY}
        self.same = _as_given(self.params)
        self.key_header = op.safety.header if op.safety.kind == IDEMPOTENCY_HEADER else None


def _input(p: Param) -> tuple[str | None, str, Any]:
    return (None, p.wire, p.const) if p.is_const else (p.name, p.wire, p.default)


def _as_given(model: type[pydantic.BaseModel] | None) -> dict[str, type]:
    """Parameter (wire name) -> the value type that the model's dump would write unchanged (`int` for an
    `int` field): a call whose values all have theirs needs no dump (`prepare`)."""
    out: dict[str, type] = {}
    for name, field in (model.model_fields if model is not None else {}).items():
        given = field.annotation
        options = (
            typing.get_args(given)
            if typing.get_origin(given) in (typing.Union, types.UnionType)
            else (given,)
        )
        kinds = {t for t in options if t is not type(None)}
        if len(kinds) == 1 and (kind := kinds.pop()) in (str, int, float, bool):
            out[field.alias or name] = kind
    return out


def _place(op: Operation[Any], p: Param) -> int:
    if p.location == PATH:
        return _URL if op.path == "{" + p.wire + "}" else _PATH  # the whole URL (routes.py)
    if p.location == QUERY:
        return _BRACKETS if p.style == "brackets" else _QUERY
    return _HEADER


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
    try:  # the model's validator itself: `model_validate`'s wrapper costs a tenth of this on every call
        validated: pydantic.BaseModel = model.__pydantic_validator__.validate_python(data)
        return validated
    except pydantic.ValidationError as exc:
        problems.extend(_problems(exc, info))
        return None


_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*").fullmatch  # what `quote(..., safe="")` leaves as it is


def _in_path(value: Any) -> str:
    """A path segment, percent-encoded (`quote` only when some character needs it: ids rarely do, an
    `int`'s digits never; a bool is not an `int` here)."""
    if type(value) is int:
        return str(value)
    segment = value if type(value) is str else text(value)
    return segment if _UNRESERVED(segment) else quote(segment, safe="")


def _files(
    op: Operation[Any], info: Shape, args: Mapping[str, Any], problems: list[tuple[str, str]]
) -> dict[str, Upload]:
    """The call's files, checked here and streamed at sending (never validated by the body model)."""
    uploads: dict[str, Upload] = {}
    declared = op.features.get(PARTS)  # the parts' declared media types
    for p in info.files:
        value = args.get(p.name)
        if value is None:
            if p.required:
                problems.append((p.name, "Field required [missing]"))
            continue
        why = upload_problem(value)
        if why is None:
            uploads[p.wire] = Upload(
                value, p.wire, declared.get(p.wire) if isinstance(declared, dict) else None
            )
        else:
            problems.append((p.name, why))
    return uploads


def prepare(spec: ProviderSpec, op: Operation[Any], args: Mapping[str, Any], body: Any) -> Prepared:
    """Validate a call and build its request; raise ValidationError and send nothing when it is invalid."""
    info = shape(spec, op)
    problems: list[tuple[str, str]] = []
    if not info.names.issuperset(args):
        problems = [(k, "unexpected keyword argument") for k in args if k not in info.names]
    params: dict[str, Any] = {}
    same = info.same
    dump = False  # whether some value is not what the model's dump would write (see below)
    for name, wire, default in info.inputs:
        value = args.get(name) if name else None  # None: a constant, always sent
        if value is None:
            if default is None:
                continue
            value = default
        params[wire] = value
        if type(value) is not str and type(value) is not same.get(wire):
            dump = True
    fields: dict[str, Any] = {}
    given_fields = False
    for name, wire, default in info.fields:
        value = args.get(name) if name else None
        if value is None:
            if default is None:
                continue
            value = default
        elif name:
            given_fields = True
        fields[wire] = value
    uploads = _files(op, info, args, problems) if info.files else {}

    if info.params is not None:
        model = _validate(info.params, params, info, problems)
        # Values as the caller gave them: a string passed validation and goes out unchanged (pydantic
        # would write a date-time again, `...18.139Z` as `...18.139000Z`); other values as dumped.
        # (Nothing to dump when every value is a string or already what the dump writes; the serializer
        # is called without `model_dump`'s Python wrapper: this runs on every call.)
        if model is not None and dump:
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
    places = info.places
    for wire, value in params.items():
        place, placeholder = places[wire]
        if place == _PATH:
            path = path.replace(placeholder, _in_path(value))
        elif place == _QUERY:
            if isinstance(value, list):
                query += [(wire, text(v)) for v in value]
            else:
                query.append((wire, text(value)))
        elif place == _HEADER:
            headers[wire] = text(value)
        elif place == _URL:
            path = text(value)
        else:
            query += brackets(wire, value)
    if info.key_header:  # one key per logical call, repeated on every retry of it
        headers[info.key_header] = str(uuid.uuid4())
    unique = fields.get(info.unique_wire) if info.unique_wire else None
    return Prepared(op.http_method, path, query, headers, content, unique)
