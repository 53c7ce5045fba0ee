"""Request validation against a method's parameters: types, required, enums, lengths, ranges, formats.

Messages name the field and the rule, never the value, so a secret sent in the wrong place is not
echoed back.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError, best_match

from ..contract import ErrorKind, normalize, parameter_schema
from ..ir import JsonSchema, Location, Method, Parameter, Provider
from ..kinds import BODIES
from ..kinds.base import ReceivedFile
from .values import from_wire, nested, typed

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S*")

FORMATS = FormatChecker(formats=())


def _is_uuid(value: object) -> bool:
    return not isinstance(value, str) or _UUID.fullmatch(value) is not None


def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        return _DATE.fullmatch(value) is not None and bool(dt.date.fromisoformat(value))
    except ValueError:
        return False


def _is_date_time(value: object) -> bool:
    return not isinstance(value, str) or _DATE_TIME.fullmatch(value) is not None


def _is_email(value: object) -> bool:
    return not isinstance(value, str) or _EMAIL.fullmatch(value) is not None


def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or _URI.fullmatch(value) is not None


for _name, _check in (("uuid", _is_uuid), ("date", _is_date), ("date-time", _is_date_time),
                     ("email", _is_email), ("uri", _is_uri)):
    FORMATS.checks(_name)(_check)


@dataclass(frozen=True)
class Problem:
    kind: ErrorKind
    message: str
    field: str = ""


@dataclass(frozen=True)
class Incoming:
    verb: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes
    target: str = ""  # the path and query exactly as received (what a signature covers)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


@dataclass(frozen=True)
class Checked:
    values: dict[str, Any]  # Python name -> value, for every parameter present
    body: dict[str, Any]  # the request body by wire name ({} when there is none)


def parse_json(incoming: Incoming) -> Any | None:
    if not incoming.body or "json" not in incoming.content_type:
        return None
    try:
        return json.loads(incoming.body)
    except ValueError:
        return None


def parse_form(incoming: Incoming) -> dict[str, str] | None:
    """The fields of a form body, for the request log; None when the body is not a form."""
    parsed = BODIES["form"].parse(incoming.body, incoming.content_type)
    return parsed if isinstance(parsed, dict) else None


_RULES = {
    "maxLength": "must be at most {} characters long",
    "minLength": "must be at least {} characters long",
    "maximum": "must be <= {}",
    "minimum": "must be >= {}",
    "exclusiveMaximum": "must be < {}",
    "exclusiveMinimum": "must be > {}",
    "maxItems": "must have at most {} items",
    "minItems": "must have at least {} items",
    "pattern": "must match the pattern {}",
    "format": "must be a valid {}",
}


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _describe(error: ValidationError) -> tuple[str, str]:
    """(sub-path below the parameter, what is wrong) for one schema error."""
    path = [str(p) for p in error.absolute_path]
    rule = str(error.validator)
    expected: Any = error.validator_value
    if rule == "required" and isinstance(error.instance, dict):
        missing = next((r for r in expected if r not in error.instance), "")
        return ".".join([*path, str(missing)]), "is required"
    if rule == "type":
        text = "must be of type " + " or ".join(expected if isinstance(expected, list) else [expected])
    elif rule == "enum":
        text = "must be one of: " + ", ".join(_show(v) for v in expected)
    elif rule == "const":
        text = "must be " + _show(expected)
    elif rule == "additionalProperties":
        text = "has a property that is not allowed"
    else:
        text = _RULES[rule].format(expected) if rule in _RULES else "is invalid"
    return ".".join(path), text


class RequestValidator:
    def __init__(self, provider: Provider) -> None:
        self.defs: dict[str, JsonSchema] = {n: normalize(s) for n, s in provider.schemas.items()}
        self._validators: dict[tuple[str, str], Draft202012Validator] = {}

    def _validator(self, method: Method, param: Parameter) -> Draft202012Validator:
        key = (method.name, param.name)
        if key not in self._validators:
            schema = {**parameter_schema(param), "$defs": self.defs}
            self._validators[key] = Draft202012Validator(schema, format_checker=FORMATS)
        return self._validators[key]

    def _value_problem(self, method: Method, param: Parameter, value: Any) -> Problem | None:
        error = best_match(self._validator(method, param).iter_errors(value))
        if error is None:
            return None
        sub, text = _describe(error)
        field = f"{param.wire}.{sub}" if sub else param.wire
        return Problem(ErrorKind.VALIDATION, f"{field} {text}", field)

    def _body(self, method: Method, incoming: Incoming) -> tuple[dict[str, Any], Problem | None]:
        if method.body_content is None or not incoming.body.strip():
            return {}, None
        kind = BODIES[method.body_content]
        parsed = kind.parse(incoming.body, incoming.content_type)
        if isinstance(parsed, str):
            return {}, Problem(ErrorKind.VALIDATION, parsed, "body")
        fields = {p.wire: p for p in method.parameters if p.location is Location.BODY}
        if kind.whole and len(fields) == 1:  # the whole body is the one parameter (a file, text)
            parsed = {next(iter(fields)): parsed.pop("")}
        if method.body_style == "brackets":  # nested fields in bracket notation
            parsed = typed(nested(parse_qsl(incoming.body.decode("utf-8"), keep_blank_values=True)),
                           {"properties": {w: p.schema for w, p in fields.items()}}, self.defs)
        elif kind.textual:  # text fields read as their types; files (ReceivedFile) stay as they came
            parsed = {k: from_wire([v], fields[k].schema, self.defs) if k in fields and type(v) is str else v
                      for k, v in parsed.items()}
        for wire, p in fields.items():  # a file part sent under another media type than the spec declares
            got = parsed.get(wire)
            if p.media_type and isinstance(got, ReceivedFile) and got.media_type != p.media_type:
                return {}, Problem(ErrorKind.VALIDATION, f"{wire} must be sent as {p.media_type}, "
                                   f"not {got.media_type}", wire)
        return parsed, None

    def check(self, method: Method, path_values: dict[str, Any], incoming: Incoming) -> Checked | Problem:
        body, problem = self._body(method, incoming)
        if problem is not None:
            return problem
        values: dict[str, Any] = {}
        for param in method.parameters:
            present, value = self._read(param, path_values, incoming, body)
            if not present:
                if param.required or param.is_const:
                    return Problem(ErrorKind.VALIDATION, f"{param.wire} is required", param.wire)
                continue
            found = self._value_problem(method, param, value)
            if found is not None:
                return found
            values[param.py_name] = value
        return Checked(values, body)

    def _read(self, param: Parameter, path_values: dict[str, Any], incoming: Incoming,
              body: dict[str, Any]) -> tuple[bool, Any]:
        if param.location is Location.PATH:
            return param.wire in path_values, path_values.get(param.wire)
        if param.location is Location.QUERY and param.style == "brackets":
            pairs = [(k, v) for k, vs in incoming.query.items() if k.split("[", 1)[0] == param.wire for v in vs]
            found = nested(pairs)
            return (True, typed(found[param.wire], param.schema, self.defs)) if param.wire in found else (False, None)
        if param.location is Location.QUERY:
            raw = incoming.query.get(param.wire)
            return (True, from_wire(raw, param.schema, self.defs)) if raw else (False, None)
        if param.location is Location.HEADER:
            text = incoming.headers.get(param.wire.lower())
            return (True, from_wire([text], param.schema, self.defs)) if text is not None else (False, None)
        return param.wire in body, body.get(param.wire)
