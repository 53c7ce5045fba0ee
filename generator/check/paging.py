"""Pagination of a list method: the style's keys, and that the named parameters and answer fields exist."""

from __future__ import annotations

from typing import Any

from ..kinds import PAGING
from ..problems import JsonPath
from .core import Context, Node, rule

REF = "#/schemas/"
PAGING_OPTIONS = ("all", "max-items")  # the CLI options a paginated method's command adds
WALKERS = ("iter", "pages")  # the client methods a paginated method adds: iter_<m>, pages_<m>


def _resolve(ctx: Context, schema: Any) -> Any:
    seen = 0
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and seen < 50:
        ref = schema["$ref"]
        schema = ctx.schemas.get(ref[len(REF) :]) if ref.startswith(REF) else None
        seen += 1
    return schema


def _field(ctx: Context, schema: Any, path: str) -> Any:
    """The schema of the field at a dotted path (None when the schema has no such field); `$` is the whole
    answer."""
    for part in path.split(".") if path != "$" else ():
        schema = _resolve(ctx, schema)
        properties = schema.get("properties") if isinstance(schema, dict) else None
        if not isinstance(properties, dict) or part not in properties:
            return None
        schema = properties[part]
    return _resolve(ctx, schema)


def _success(method: dict[str, Any]) -> tuple[str, Any] | None:
    for status, response in sorted((method.get("responses") or {}).items()):
        if str(status).startswith("2"):
            return str(status), response
    return None


def _check_method(ctx: Context, method: dict[str, Any], at: JsonPath) -> None:
    spec = method["pagination"]
    kind = PAGING[spec["style"]]
    kind.check(ctx, spec, at)
    params = {p["name"]: p for p in method.get("parameters") or []}
    known = ", ".join(params) or "none"
    for key in ("parameter", "limit"):
        if key in spec and spec[key] not in params:
            ctx.add((*at, key), f"unknown parameter '{spec[key]}' (known: {known})")
    for i, raw in enumerate(method.get("parameters") or []):
        if str(raw.get("name", "")).lower().replace("_", "-") in PAGING_OPTIONS:
            where = ("methods", at[1], "parameters", i, "name")
            ctx.add(
                where, f"'{raw['name']}' would clash with the --all/--max-items options of a paginated method"
            )
    if method.get("idempotency") is not None:
        ctx.add(
            ("methods", at[1], "idempotency"),
            "a paginated method reads: its pages are retried like a GET's, so it takes no idempotency",
            key=True,
        )
    if spec.get("short_page") and "limit" not in spec:
        ctx.add((*at, "short_page"), "'short_page' needs 'limit' (the page size parameter)")
    success = _success(method)
    if success is None or "schema" not in success[1]:
        ctx.add(at, "a paginated method needs a success answer with a schema")
        return
    status, response = success
    answer = response["schema"]
    items = _field(ctx, answer, spec["items"])
    if not isinstance(items, dict) or items.get("type") != "array":
        ctx.add((*at, "items"), f"the {status} answer has no list at '{spec['items']}'")
        items = None
    if "has_more" in spec:
        flag = _field(ctx, answer, spec["has_more"])
        if not isinstance(flag, dict) or flag.get("type") != "boolean":
            ctx.add((*at, "has_more"), f"the {status} answer has no boolean field '{spec['has_more']}'")
    if "next" in spec and kind.next_in == "answer" and _field(ctx, answer, spec["next"]) is None:
        ctx.add((*at, "next"), f"the {status} answer has no field '{spec['next']}'")
    item = items.get("items") if items is not None else None
    if (
        "next" in spec
        and kind.next_in == "item"
        and items is not None
        and _field(ctx, item, spec["next"]) is None
    ):
        ctx.add((*at, "next"), f"the items at '{spec['items']}' have no field '{spec['next']}'")


@rule("methods")
def pagination(ctx: Context, node: Node) -> None:
    for i, method in enumerate(ctx.methods):
        if isinstance(method, dict) and method.get("pagination") is not None:
            _check_method(ctx, method, ("methods", i, "pagination"))


@rule("names")
def walker_names(ctx: Context, _: Node) -> None:
    """A paginated method's `iter_<m>` and `pages_<m>` are client methods too: no other method may be named so."""
    owners = {names.py: method["name"] for method, names in zip(ctx.methods, ctx.names.methods, strict=True)}
    for i, (method, names) in enumerate(zip(ctx.methods, ctx.names.methods, strict=True)):
        if method.get("pagination") is None:
            continue
        for prefix in WALKERS:
            taken = owners.get(f"{prefix}_{names.py}")
            if taken is not None:
                ctx.add(("methods", i, "pagination"), f"{method['name']} pages, so the client gains "
                        f"'{prefix}_{names.py}', which is already the Python name of method {taken}", key=True)
