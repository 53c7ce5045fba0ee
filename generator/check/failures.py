"""Errors inside success answers (`errors.in_success`, a method's `in_success`) and rules across parameters
(`parameter_groups`): the fields they name exist in the answer, their failure body reads as a failure, the
success examples do not, and a group names optional parameters of its method."""

from __future__ import annotations

from typing import Any

from ..model_failures import TESTS, declared, test_of
from ..problems import JsonPath
from ..runtime.answer_errors import FailureInAnswer, Path, split
from .core import Context, Node, rule

REF = "#/schemas/"


def _resolve(ctx: Context, schema: Any) -> Any:
    seen = 0
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and seen < 50:
        ref = schema["$ref"]
        schema = ctx.schemas.get(ref[len(REF):]) if ref.startswith(REF) else None
        seen += 1
    return schema


def _child(ctx: Context, schema: Any, key: str | int) -> Any:
    """The schema of one key below `schema` (object properties, also of `allOf` parts; array items)."""
    schema = _resolve(ctx, schema)
    if not isinstance(schema, dict):
        return None
    if isinstance(key, int) and schema.get("type") == "array":
        return schema.get("items")
    properties = schema.get("properties")
    if isinstance(properties, dict) and str(key) in properties:
        return properties[str(key)]
    for part in schema.get("allOf") or ():
        found = _child(ctx, part, key)
        if found is not None:
            return found
    return None


def has_field(ctx: Context, schema: Any, path: Path) -> bool:
    for key in path:
        schema = _child(ctx, schema, key)
        if schema is None:
            return False
    return True


def _check_declaration(ctx: Context, spec: dict[str, Any], at: JsonPath) -> FailureInAnswer | None:
    """The declaration's test, or None when it has none (reported; the methods are then not checked)."""
    tests = [key for key in TESTS if key in spec["when"]]
    if len(tests) != 1:
        found = ", ".join(f"'{t}'" for t in tests) or "none"
        ctx.add((*at, "when"), f"'when' needs exactly one of 'equals', 'not_equals', 'present' (found: {found})")
        return None
    test, value = test_of(spec["when"])
    check = FailureInAnswer(split(spec["when"]["field"]), test, value=value,
                            message=tuple(split(p) for p in spec["message"]))
    body = spec["body"]
    if "{message}" not in repr(body):
        ctx.add((*at, "body"), "the failure body needs the placeholder '{message}' where the message goes")
    if not check.failed(body):
        ctx.add((*at, "body"), f"the failure body does not read as a failure by 'when' ({_when(spec['when'])})")
    return check


def _when(when: dict[str, Any]) -> str:
    return ", ".join(f"{k}: {v!r}" for k, v in when.items())


def _paths(spec: dict[str, Any], at: JsonPath) -> list[tuple[JsonPath, str]]:
    found = [((*at, "when", "field"), spec["when"]["field"])]
    found += [((*at, "message", i), p) for i, p in enumerate(spec["message"])]
    found += [((*at, "code", i), p) for i, p in enumerate(spec.get("code") or ())]
    return found


def _check_method(
    ctx: Context, i: int, method: dict[str, Any], checks: dict[JsonPath, FailureInAnswer | None]
) -> None:
    own = method.get("in_success")
    spec = declared(ctx.data["errors"], method)
    if isinstance(own, dict) and spec is None:
        ctx.add(("methods", i, "in_success"), "errors inside a success answer need a JSON success answer")
        return
    if spec is None:
        return
    at: JsonPath = ("methods", i, "in_success") if isinstance(own, dict) else ("errors", "in_success")
    if at not in checks:
        checks[at] = _check_declaration(ctx, spec, at)
    check = checks[at]
    if check is None:
        return
    status, response = next((s, r) for s, r in sorted(method["responses"].items()) if str(s).startswith("2"))
    schema = response.get("schema")
    if schema is None:
        return
    for where, path in _paths(spec, at):
        if not has_field(ctx, schema, split(path)):
            ctx.add(where, f"'{path}' is not a field of the {status} answer of {method['name']}")
    if "example" in response and check.failed(response["example"]):
        ctx.add(("methods", i, "responses", status, "example"),
                f"the success example reads as a failure by in_success ({_when(spec['when'])})")


@rule("methods")
def in_success(ctx: Context, node: Node) -> None:
    checks: dict[JsonPath, FailureInAnswer | None] = {}
    for i, method in enumerate(ctx.methods):
        if isinstance(method, dict):
            _check_method(ctx, i, method, checks)
    if isinstance(ctx.data["errors"].get("in_success"), dict) and ("errors", "in_success") not in checks:
        _check_declaration(ctx, ctx.data["errors"]["in_success"], ("errors", "in_success"))


@rule("methods")
def parameter_groups(ctx: Context, node: Node) -> None:
    for i, method in enumerate(ctx.methods):
        params = {p["name"]: p for p in method.get("parameters") or []}
        for g, group in enumerate(method.get("parameter_groups") or ()):
            seen: set[str] = set()
            for k, name in enumerate(group["parameters"]):
                at = ("methods", i, "parameter_groups", g, "parameters", k)
                param = params.get(name)
                if param is None:
                    ctx.add(at, f"unknown parameter '{name}' (known: {', '.join(params) or 'none'})")
                elif name in seen:
                    ctx.add(at, f"'{name}' is named twice in this group")
                elif param.get("required"):
                    ctx.add(at, f"'{name}' is required, so it is always given: a parameter group holds "
                                "optional parameters only")
                elif "example" not in param:
                    ctx.add(at, f"'{name}' needs an example: the docs' examples keep the group's rule")
                elif "default" in param or "const" in param:
                    key = "default" if "default" in param else "const"
                    ctx.add(at, f"'{name}' has a {key}, so it is always given: a parameter group holds "
                                "parameters without one")
                seen.add(name)
