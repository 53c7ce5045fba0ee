"""Schemas, named and inline (parameters, answers, headers, errors), and values checked against them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import jsonschema
from jsonschema.exceptions import best_match

from ..jsonschema_form import to_json_schema
from ..names import RESERVED_MODEL_NAMES
from ..problems import JsonPath, show
from .core import Context, Node, Phase, rule
from .wording import closest, describe, properties, reserved_model

REF = re.compile(r"^#/schemas/([A-Za-z][A-Za-z0-9_]*)$")
_MODEL_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*$")
COMBINATIONS = ("oneOf", "anyOf", "allOf")


def walk(node: Any, path: JsonPath) -> Iterator[tuple[dict[str, Any], JsonPath]]:
    """A schema and the schemas nested in it."""
    if not isinstance(node, dict):
        return
    yield node, path
    for key in ("items", "additionalProperties"):
        if isinstance(node.get(key), dict):
            yield from walk(node[key], (*path, key))
    for name, sub in (node.get("properties") or {}).items():
        yield from walk(sub, (*path, "properties", name))
    for key in COMBINATIONS:
        for i, sub in enumerate(node.get(key) or ()):
            yield from walk(sub, (*path, key, i))


def _roots(ctx: Context) -> Iterator[tuple[Any, JsonPath]]:
    for name, schema in ctx.schemas.items():
        yield schema, ("schemas", name)
    yield ctx.data["errors"].get("schema"), ("errors", "schema")
    for i, method in enumerate(ctx.methods):
        for j, param in enumerate(method.get("parameters") or []):
            yield param.get("schema"), ("methods", i, "parameters", j, "schema")
        for status, response in (method.get("responses") or {}).items():
            yield response.get("schema"), ("methods", i, "responses", status, "schema")
            for a, alt in enumerate(response.get("alternatives") or ()):
                yield alt.get("schema"), ("methods", i, "responses", status, "alternatives", a, "schema")
            for h, header in (response.get("headers") or {}).items():
                yield header.get("schema"), ("methods", i, "responses", status, "headers", h, "schema")


def every_node(ctx: Context) -> Iterator[tuple[dict[str, Any], JsonPath]]:
    for root, root_path in _roots(ctx):
        yield from walk(root, root_path)


@rule("schemas", Phase.STRUCTURE)
def refs_and_patterns(ctx: Context, _: Node) -> None:
    for node, path in every_node(ctx):
        ref = node.get("$ref")
        if ref is not None:
            match = REF.match(ref)
            if not match:
                ctx.add((*path, "$ref"), f"$ref '{ref}' must look like '#/schemas/Name'")
            elif match.group(1) not in ctx.schemas:
                guess = closest(match.group(1), list(ctx.schemas))
                hint = f"did you mean '{guess}'?" if guess else f"known: {', '.join(ctx.schemas) or 'none'}"
                ctx.add((*path, "$ref"), f"$ref '{ref}' points at no schema ({hint})")
        if "pattern" in node:
            try:
                re.compile(node["pattern"])
            except re.error as exc:
                ctx.add((*path, "pattern"), f"invalid regular expression: {exc}")


def _edges(node: Any, hard: bool, needed: bool, out: dict[str, tuple[bool, bool]]) -> None:
    """The schemas `node` refers to, each with (hard, needed): reached through properties and allOf only
    (hard), and present in every value (needed: required properties, non-empty lists, allOf parts)."""
    if not isinstance(node, dict):
        return
    match = REF.match(str(node.get("$ref", "")))
    if match:
        was_hard, was_needed = out.get(match.group(1), (False, False))
        out[match.group(1)] = (was_hard or hard, was_needed or needed)
    required = set(node.get("required") or ())
    for name, sub in (node.get("properties") or {}).items():
        _edges(sub, hard, needed and name in required, out)
    items = node.get("items")
    _edges(items, False, needed and int(node.get("minItems", 0) or 0) > 0, out)
    _edges(node.get("additionalProperties"), False, False, out)
    for part in node.get("allOf") or ():
        _edges(part, hard, needed, out)
    for key in ("oneOf", "anyOf"):
        for variant in node.get(key) or ():
            _edges(variant, False, False, out)


def _loops(ctx: Context, edges: dict[str, set[str]]) -> Iterator[list[str]]:
    """Each loop of the reference graph once, starting at its first schema in the file."""
    order = list(ctx.schemas)
    reported: set[frozenset[str]] = set()

    def visit(name: str, trail: list[str]) -> Iterator[list[str]]:
        if name in trail:
            cycle = trail[trail.index(name) :]
            members = frozenset(cycle)
            if members not in reported:
                reported.add(members)
                start = min(cycle, key=order.index)
                at = cycle.index(start)
                yield [*cycle[at:], *cycle[:at], start]
            return
        for nxt in sorted(edges.get(name, ())):
            yield from visit(nxt, [*trail, name])

    for name in order:
        yield from visit(name, [])


@rule("schemas", Phase.STRUCTURE)
def cycles(ctx: Context, _: Node) -> None:
    """A model may hold itself only through a list, a map or a union (a tree), and only if some value ends
    the recursion: a loop of plain object references, or of references every value must hold, is an error."""
    refs: dict[str, dict[str, tuple[bool, bool]]] = {}
    for name, schema in ctx.schemas.items():
        found: dict[str, tuple[bool, bool]] = {}
        _edges(schema, True, True, found)
        refs[name] = {target: flags for target, flags in found.items() if target in ctx.schemas}
    hard = {name: {t for t, (h, _n) in out.items() if h} for name, out in refs.items()}
    needed = {name: {t for t, (_h, n) in out.items() if n} for name, out in refs.items()}
    told: set[frozenset[str]] = set()
    for loop in _loops(ctx, hard):
        told.add(frozenset(loop))
        ctx.add(("schemas", loop[0]), f"circular reference: {' -> '.join(loop)}", key=True)
    for loop in _loops(ctx, needed):
        if frozenset(loop) not in told:
            ctx.add(("schemas", loop[0]), f"recursion without an exit: {' -> '.join(loop)} (every value "
                    "holds another; make a reference optional or let its list be empty)", key=True)


@rule("schemas")
def schema_names(ctx: Context, _: Node) -> None:
    for name in ctx.schemas:
        if not _MODEL_NAME.match(name):
            ctx.add(("schemas", name), f"schema name '{name}' must be PascalCase", key=True)
        elif name in RESERVED_MODEL_NAMES:
            ctx.add(("schemas", name), reserved_model(name, f"schema name '{name}'"), key=True)


@rule("schemas")
def schema_nodes(ctx: Context, _: Node) -> None:
    for node, path in every_node(ctx):
        if "$ref" in node:
            extra = sorted(set(node) - {"$ref", "description", "example"})
            if extra:
                ctx.add(path, f"$ref cannot be combined with {', '.join(extra)}")
            continue
        kind = node.get("type")
        if kind is None and not any(key in node for key in COMBINATIONS):
            ctx.add(path, "schema needs 'type' or '$ref'")
            continue
        if kind == "array" and "items" not in node:
            ctx.add(path, "array schema needs 'items'")
        for key in node.get("required") or []:
            if key not in (node.get("properties") or {}):
                ctx.add((*path, "required"), f"required property '{key}' is not in properties")
        if "enum" in node:
            _enum(ctx, node, path)
        if "x-enum-descriptions" in node and "enum" not in node:
            ctx.add((*path, "x-enum-descriptions"), "x-enum-descriptions without enum")
        for low, high in (("minLength", "maxLength"), ("minimum", "maximum"), ("minItems", "maxItems")):
            if low in node and high in node and node[low] > node[high]:
                ctx.add((*path, low), f"{low} {node[low]} is greater than {high} {node[high]}")
        for key in ("example", "default"):
            if key in node:
                check_instance(ctx, node[key], node, (*path, key), key)


def _enum(ctx: Context, node: dict[str, Any], path: JsonPath) -> None:
    values = node["enum"]
    single = {k: v for k, v in node.items() if k not in ("enum", "x-enum-descriptions", "example", "default")}
    for i, value in enumerate(values):
        check_instance(ctx, value, single, (*path, "enum", i), "enum value")
    seen: set[str] = set()
    for i, value in enumerate(values):
        if show(value) in seen:
            ctx.add((*path, "enum", i), f"enum value {show(value)} is listed twice")
        seen.add(show(value))
    meanings = node.get("x-enum-descriptions")
    if meanings is not None and len(meanings) != len(values):
        ctx.add(
            (*path, "x-enum-descriptions"),
            f"x-enum-descriptions has {len(meanings)} entries for {len(values)} enum values",
        )


def check_instance(ctx: Context, value: Any, schema: Any, path: JsonPath, what: str = "example") -> None:
    """Report where `value` breaks `schema`, pointing into the value itself."""
    if not isinstance(schema, dict) or not ctx.schemas_usable:
        return
    # The same JSON Schema form the models and the mock use, so `nullable: true` admits null here too.
    resolved = {**to_json_schema(schema), "$defs": ctx.defs}
    validator = jsonschema.Draft202012Validator(resolved, format_checker=jsonschema.FormatChecker())
    try:
        error = best_match(validator.iter_errors(value))
    except (jsonschema.exceptions.SchemaError, re.error, RecursionError, ValueError) as exc:
        ctx.add(path, f"cannot check the {what} against its schema: {exc}")
        return
    if error is None:
        return
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(properties(error))
        extra = next(k for k in sorted(error.instance) if k not in allowed)
        sub: JsonPath = (*error.absolute_path, extra)
        ctx.add((*path, *sub), f"{what} does not match its schema: unknown key '{extra}'", key=True)
        return
    sub, message, key = describe(error)
    ctx.add((*path, *sub), f"{what} does not match its schema: {message}", key=key)


def is_object(ctx: Context, schema: Any, seen: frozenset[str] = frozenset()) -> bool | None:
    """Whether a schema describes an object; None when a $ref cannot tell (reported elsewhere)."""
    if not isinstance(schema, dict):
        return None
    match = REF.match(str(schema.get("$ref", "")))
    if "$ref" in schema:
        if not match or match.group(1) not in ctx.schemas or match.group(1) in seen:
            return None
        return is_object(ctx, ctx.schemas[match.group(1)], seen | {match.group(1)})
    if "allOf" in schema and "type" not in schema:
        parts = [is_object(ctx, part, seen) for part in schema["allOf"]]
        return None if None in parts else all(parts)
    return bool(schema.get("type") == "object")
