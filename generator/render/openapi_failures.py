"""The OpenAPI export of a method's rules across parameters and of its errors inside success answers.

Rules across body fields become JSON Schema keywords of the request body (`oneOf` / `anyOf` of `required`
sets, `dependentRequired`); every rule is also written into the operation's description (query and header
rules have no JSON Schema form in OpenAPI) and, with the errors inside success answers, into the
extensions `x-opi-parameter-groups` and `x-opi-error-in-success`.
"""

from __future__ import annotations

from typing import Any

from ..ir import Location, Method
from ..runtime import param_groups
from .docs_failures import in_success_text, path_text


def description(method: Method) -> str:
    """Text appended to the operation's description."""
    lines = [
        "- " + param_groups.sentence(g.rule, [f"`{p.wire}`" for p in method.group_params(g)])
        for g in method.parameter_groups
    ]
    text = "\n\nParameter rules:\n\n" + "\n".join(lines) if lines else ""
    failure = in_success_text(method)
    return text + ("\n\nErrors inside success answers: " + failure if failure else "")


def extensions(method: Method) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if method.parameter_groups:
        out["x-opi-parameter-groups"] = [
            {"rule": g.rule, "parameters": [p.wire for p in method.group_params(g)]} for g in method.parameter_groups
        ]
    f = method.in_success
    if f is not None:
        out["x-opi-error-in-success"] = {
            "field": path_text(f.field), "test": f.test, "value": f.value,
            "message": [path_text(p) for p in f.message], "code": [path_text(p) for p in f.codes],
            "error": f.error, "example": f.body,
        }
    return out


def _constraint(rule: str, wires: list[str]) -> dict[str, Any]:
    if rule == param_groups.EXACTLY_ONE:
        return {"oneOf": [{"required": [w]} for w in wires]}
    if rule == param_groups.AT_LEAST_ONE:
        return {"anyOf": [{"required": [w]} for w in wires]}
    return {"dependentRequired": {w: [o for o in wires if o != w] for w in wires}}


def body_schema(method: Method, schema: dict[str, Any]) -> dict[str, Any]:
    """The request body's schema with the rules whose parameters are all body fields."""
    rules = [
        _constraint(g.rule, [p.wire for p in method.group_params(g)])
        for g in method.parameter_groups
        if all(p.location is Location.BODY for p in method.group_params(g))
    ]
    return {"allOf": [schema, *rules]} if rules else schema
