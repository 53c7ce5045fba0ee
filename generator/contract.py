"""What a provider's contract promises beyond its documented examples, shared by the contract server and
the OpenAPI export so both tell the same story: which error answers a method can give, the JSON Schema
of a request body, and the spec's schemas in plain JSON Schema 2020-12.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .ir import ErrorAnswer, Idempotency, JsonSchema, Location, Method, Parameter, Provider

SPEC_REFS = "#/$defs/"


class ErrorKind(StrEnum):
    UNAUTHORIZED = "unauthorized"
    VALIDATION = "validation"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"


# Why each kind of error answer happens, for the export's response descriptions.
REASONS = {
    ErrorKind.UNAUTHORIZED: "Missing, malformed, expired or rejected credentials.",
    ErrorKind.VALIDATION: "A parameter or the request body breaks the contract "
                          "(type, required, enum, length, range or format).",
    ErrorKind.NOT_FOUND: "No such resource: a path that matches no route "
                         "or a path parameter of the wrong type.",
    ErrorKind.CONFLICT: "A record with this unique value already exists.",
}


@dataclass(frozen=True)
class ErrorUse:
    kind: ErrorKind
    answer: ErrorAnswer


def error_answer(provider: Provider, kind: ErrorKind) -> ErrorAnswer:
    """The provider's answer of this kind; a missing conflict answer falls back to the validation one."""
    answers = provider.errors.answers
    if kind.value in answers:
        return answers[kind.value]
    return answers[ErrorKind.VALIDATION.value]


def token_methods(provider: Provider) -> frozenset[str]:
    """Names of the methods that issue OAuth tokens."""
    return frozenset(s.token_method for s in provider.schemes if s.token_method)


def error_uses(provider: Provider, method: Method) -> tuple[ErrorUse, ...]:
    """Every error answer the contract server can give for `method`, in a stable order."""
    kinds: list[ErrorKind] = []
    if method.auth or method.name in token_methods(provider):
        kinds.append(ErrorKind.UNAUTHORIZED)
    if method.parameters or method.body_content is not None:
        kinds.append(ErrorKind.VALIDATION)
    if any(p.location is Location.PATH for p in method.parameters):
        kinds.append(ErrorKind.NOT_FOUND)
    if method.safety.kind is Idempotency.UNIQUE_FIELD:
        kinds.append(ErrorKind.CONFLICT)
    return tuple(ErrorUse(k, error_answer(provider, k)) for k in kinds)


def fill(template: Any, message: str, field: str = "") -> Any:
    """An error body: the template with '{message}' and '{field}' replaced inside every string."""
    if isinstance(template, str):
        return template.replace("{message}", message).replace("{field}", field)
    if isinstance(template, dict):
        return {k: fill(v, message, field) for k, v in template.items()}
    if isinstance(template, list):
        return [fill(v, message, field) for v in template]
    return copy.deepcopy(template)


def normalize(schema: Any, refs: str = SPEC_REFS) -> Any:
    """A spec schema as plain JSON Schema 2020-12: `nullable` becomes a null type, `example` becomes
    `examples`, and '#/$defs/' references point at `refs`."""
    if isinstance(schema, list):
        return [normalize(v, refs) for v in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "$ref" and isinstance(value, str) and value.startswith(SPEC_REFS):
            out[key] = refs + value[len(SPEC_REFS):]
        elif key in ("properties", "$defs"):
            out[key] = {name: normalize(sub, refs) for name, sub in value.items()}
        elif key in ("items", "additionalProperties", "oneOf", "anyOf", "allOf"):
            out[key] = normalize(value, refs)
        elif key == "discriminator" and isinstance(value.get("mapping"), dict):
            mapping = {tag: normalize({"$ref": ref}, refs)["$ref"] for tag, ref in value["mapping"].items()}
            out[key] = {**value, "mapping": mapping}
        elif key == "example":
            out["examples"] = [copy.deepcopy(value)]
        else:
            out[key] = copy.deepcopy(value) if isinstance(value, dict | list) else value
    if not out.pop("nullable", False):
        return out
    if "$ref" in out:
        ref = {"$ref": out.pop("$ref")}
        return {**out, "anyOf": [ref, {"type": "null"}]}
    if isinstance(out.get("type"), list):
        out["type"] = [*out["type"], "null"] if "null" not in out["type"] else out["type"]
    elif "type" in out:
        out["type"] = [out["type"], "null"]
    if "enum" in out and None not in out["enum"]:
        out["enum"] = [*out["enum"], None]
    for union in ("oneOf", "anyOf"):
        if union in out and {"type": "null"} not in out[union]:
            out[union] = [*out[union], {"type": "null"}]
    return out


def parameter_schema(param: Parameter, refs: str = SPEC_REFS) -> JsonSchema:
    """The JSON Schema a parameter's value must satisfy (its const included)."""
    schema: JsonSchema = normalize(param.schema, refs)
    if param.is_const:
        schema = {**schema, "const": copy.deepcopy(param.const)}
    return schema


def body_parameters(method: Method) -> tuple[Parameter, ...]:
    return tuple(p for p in method.parameters if p.location is Location.BODY)


def body_schema(method: Method, refs: str = SPEC_REFS) -> JsonSchema:
    """The JSON Schema of `method`'s request body, keyed by wire names."""
    fields = body_parameters(method)
    schema: JsonSchema = {"type": "object", "description": f"Request body of {method.name}."}
    props: dict[str, Any] = {}
    for p in fields:
        prop = parameter_schema(p, refs)
        if "$ref" not in prop:
            prop = {**prop, "description": p.description}
        props[p.wire] = prop
    schema["properties"] = props
    required = [p.wire for p in fields if p.required or p.is_const]
    if required:
        schema["required"] = required
    return schema


def body_example(method: Method) -> dict[str, Any]:
    """A request body made of the parameters' examples and constants (keeping the rules across parameters)."""
    out: dict[str, Any] = {}
    left_out = method.example_leaves_out()
    for p in body_parameters(method):
        if p.is_const:
            out[p.wire] = copy.deepcopy(p.const)
        elif p.has_example and p.py_name not in left_out:
            out[p.wire] = copy.deepcopy(p.example)
    return out


def get_path(data: Any, dotted: str) -> Any:
    """The value at a dotted path ('data', 'requests.0.errors'); None when it is not there."""
    for part in dotted.split(".") if dotted else []:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data


def set_path(data: Any, dotted: str, value: Any) -> Any:
    """`data` with `value` placed at a dotted path, creating objects and lists on the way."""
    if not dotted:
        return value
    head, _, rest = dotted.partition(".")
    if head.isdigit():
        items = list(data) if isinstance(data, list) else []
        index = int(head)
        items.extend({} for _ in range(index + 1 - len(items)))
        items[index] = set_path(items[index], rest, value)
        return items
    obj = dict(data) if isinstance(data, dict) else {}
    obj[head] = set_path(obj.get(head), rest, value)
    return obj
