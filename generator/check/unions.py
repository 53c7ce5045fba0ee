"""Unions (`oneOf`, `anyOf`, with or without a `discriminator`) and compositions (`allOf`): variants one value
could match, discriminator values that do not match their variant, allOf parts that contradict each other."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import combinations
from typing import Any

from ..kinds import BODIES
from ..problems import JsonPath, show
from .core import Context, Node, Phase, rule
from .schemas import REF, every_node
from .wording import TYPE_WORDS

UNIONS = ("oneOf", "anyOf")
_SCALARS = frozenset({"string", "integer", "number", "boolean"})


def _target(ctx: Context, schema: Any, seen: frozenset[str] = frozenset()) -> Any:
    """The schema a `$ref` chain ends at (the schema itself when it is no reference)."""
    match = REF.match(str(schema.get("$ref", ""))) if isinstance(schema, dict) else None
    if match is None or match.group(1) in seen or match.group(1) not in ctx.schemas:
        return schema
    return _target(ctx, ctx.schemas[match.group(1)], seen | {match.group(1)})


def _label(variant: Any, i: int) -> str:
    match = REF.match(str(variant.get("$ref", ""))) if isinstance(variant, dict) else None
    return f"variant {i + 1} ({match.group(1) if match else variant.get('type', 'schema')})"


def _types(ctx: Context, schema: Any) -> set[str]:
    """The JSON types a schema admits (an integer is a number too)."""
    schema = _target(ctx, schema)
    if not isinstance(schema, dict):
        return set()
    if any(k in schema for k in UNIONS):
        return {t for v in schema.get("oneOf") or schema.get("anyOf") or () for t in _types(ctx, v)}
    if "allOf" in schema:
        return {"object"}
    kind = schema.get("type")
    found = {kind} if isinstance(kind, str) else set(kind) if isinstance(kind, list) else set()
    return found | {"integer"} if "number" in found else found


def _values(ctx: Context, schema: Any) -> list[Any] | None:
    """The only values a schema admits (its enum), or None when it admits more."""
    schema = _target(ctx, schema)
    return list(schema["enum"]) if isinstance(schema, dict) and "enum" in schema else None


def _fields(ctx: Context, schema: Any) -> tuple[dict[str, Any], set[str]]:
    """An object schema's properties and required names, allOf parts merged."""
    schema = _target(ctx, schema)
    props: dict[str, Any] = dict(schema.get("properties") or {})
    required = set(schema.get("required") or ())
    for part in schema.get("allOf") or ():
        more, needed = _fields(ctx, part)
        props.update(more)
        required |= needed
    return props, required


def _apart(ctx: Context, a: Any, b: Any) -> bool:
    """Whether no value can match both schemas."""
    common = _types(ctx, a) & _types(ctx, b)
    if not common:
        return True
    if common <= _SCALARS:
        va, vb = _values(ctx, a), _values(ctx, b)
        if va is not None and vb is not None:
            return not any(v in vb for v in va)
        return common == {"string"} and _strings_apart(_target(ctx, a), _target(ctx, b), va, vb)
    if common != {"object"}:
        return False
    (pa, ra), (pb, rb) = _fields(ctx, a), _fields(ctx, b)
    return any(_apart(ctx, pa[name], pb[name]) for name in sorted(ra & rb))


_META = frozenset(".^$*+?{}[]\\|()")
# Formats no string has two of, as JSON Schema checks them and as the generated models parse them.
_APART_FORMATS = frozenset({frozenset({"uuid", "date"}), frozenset({"uuid", "date-time"})})


def _prefix(pattern: Any) -> str | None:
    """The literal text every match of an anchored pattern starts with (`^usr_[0-9]+` -> `usr_`), or None
    when the pattern is not anchored, has an alternation or starts with no literal text (nothing decided)."""
    if not isinstance(pattern, str) or not pattern.startswith("^") or "|" in pattern:
        return None
    literal = ""
    for char in pattern[1:]:
        if char in _META:
            if char in "*?{":  # a quantifier makes the character before it optional or repeated
                literal = literal[:-1]
            break
        literal += char
    return literal or None


def _strings_apart(a: Any, b: Any, va: list[Any] | None, vb: list[Any] | None) -> bool:
    """Whether two string schemas can be told apart by a pattern, an enum against a pattern, or formats;
    False whenever it cannot be decided (the check stays conservative)."""
    if not isinstance(a, dict) or not isinstance(b, dict):
        return False
    for values, other in ((va, b), (vb, a)):
        if values is not None and isinstance(other.get("pattern"), str):
            try:
                return not any(isinstance(v, str) and re.search(other["pattern"], v) for v in values)
            except re.error:
                return False
    pa, pb = _prefix(a.get("pattern")), _prefix(b.get("pattern"))
    if pa is not None and pb is not None:
        return not (pa.startswith(pb) or pb.startswith(pa))
    return frozenset({a.get("format"), b.get("format")}) in _APART_FORMATS


def _unions(ctx: Context) -> Iterator[tuple[dict[str, Any], JsonPath, str]]:
    for node, path in every_node(ctx):
        for key in UNIONS:
            if isinstance(node.get(key), list):
                yield node, path, key
        if isinstance(node.get("type"), list):  # a type list is a union of its types
            yield {"type": [{"type": k} for k in node["type"]]}, path, "type"


@rule("schemas", Phase.STRUCTURE)
def union_holds_itself(ctx: Context, _: Node) -> None:
    for name, schema in ctx.schemas.items():
        trail, todo = {name}, [schema]
        while todo:
            node = todo.pop()
            for variant in (node.get("oneOf") or node.get("anyOf") or ()) if isinstance(node, dict) else ():
                match = REF.match(str(variant.get("$ref", "")))
                if match and match.group(1) == name:
                    ctx.add(("schemas", name), f"union {name} holds itself as a variant", key=True)
                    todo = []
                    break
                if match and match.group(1) in ctx.schemas and match.group(1) not in trail:
                    trail.add(match.group(1))
                    todo.append(ctx.schemas[match.group(1)])


@rule("schemas")
def ambiguous_unions(ctx: Context, _: Node) -> None:
    if not ctx.schemas_usable:  # a dangling reference or a loop was reported; these walks follow refs
        return
    for node, path, key in _unions(ctx):
        if "discriminator" in node:
            continue
        variants = node[key]
        for (i, a), (j, b) in combinations(enumerate(variants), 2):
            if not _apart(ctx, a, b):
                ctx.add((*path, key, j), f"ambiguous union: one value can match {_label(a, i)} and "
                        f"{_label(b, j)}; add a discriminator or make the variants exclusive")
                break


@rule("schemas")
def discriminators(ctx: Context, _: Node) -> None:
    if not ctx.schemas_usable:
        return
    for node, path in every_node(ctx):
        found = node.get("discriminator")
        if found is None:
            continue
        key = next((k for k in UNIONS if k in node), None)
        if key is None:
            ctx.add((*path, "discriminator"), "discriminator needs oneOf or anyOf")
            continue
        _discriminator(ctx, node, path, key, found)


def _discriminator(ctx: Context, node: dict[str, Any], path: JsonPath, key: str, found: dict[str, Any]) -> None:
    prop = found["propertyName"]
    owners: dict[str, str] = {}  # discriminator value -> variant model
    for i, variant in enumerate(node[key]):
        match = REF.match(str(variant.get("$ref", "")))
        target = _target(ctx, variant)
        props, required = _fields(ctx, variant) if match and target.get("type") == "object" else ({}, set())
        values = _values(ctx, props.get(prop)) if prop in props else None
        if not match or prop not in required or not values:
            ctx.add((*path, key, i), f"{_label(variant, i)} must be a $ref to an object schema with the "
                    f"discriminator '{prop}' as a required property that has an enum")
            continue
        for value in values:
            if str(value) in owners:
                ctx.add((*path, key, i), f"discriminator value {show(value)} is used by both "
                        f"{owners[str(value)]} and {match.group(1)}")
            owners[str(value)] = match.group(1)
    for tag, ref in (found.get("mapping") or {}).items():
        match = REF.match(ref)
        variants = {str(v.get("$ref")) for v in node[key]}
        where = (*path, "discriminator", "mapping", tag)
        if match is None or ref not in variants:
            ctx.add(where, f"discriminator value '{tag}' maps to '{ref}', which is not a variant of this {key}")
            continue
        props, _required = _fields(ctx, ctx.schemas[match.group(1)])
        has = _values(ctx, props.get(prop)) or []
        if has and owners.get(tag) != match.group(1):  # an untagged variant is reported above
            ctx.add(where, f"discriminator value '{tag}' does not match its variant {match.group(1)}, whose "
                    f"'{prop}' is {' or '.join(show(v) for v in has)}", key=True)


@rule("schemas")
def compositions(ctx: Context, _: Node) -> None:
    if not ctx.schemas_usable:
        return
    for node, path in every_node(ctx):
        parts = node.get("allOf")
        if not isinstance(parts, list):
            continue
        seen: dict[str, tuple[int, Any]] = {}
        for i, part in enumerate(parts):
            if _types(ctx, part) != {"object"}:
                ctx.add((*path, "allOf", i), f"allOf part {i + 1} is not an object schema")
                continue
            for name, prop in _fields(ctx, part)[0].items():
                if name in seen and _apart(ctx, seen[name][1], prop):
                    first = seen[name][0]
                    ctx.add((*path, "allOf", i), f"allOf parts contradict each other: property '{name}' is "
                            f"{_shape(ctx, seen[name][1])} in part {first + 1} and {_shape(ctx, prop)} in "
                            f"part {i + 1}")
                seen.setdefault(name, (i, prop))


def _shape(ctx: Context, schema: Any) -> str:
    values = _values(ctx, schema)
    if values is not None:
        return " or ".join(show(v) for v in values)
    kinds = sorted(_types(ctx, schema) - ({"integer"} if "number" in _types(ctx, schema) else set()))
    return " or ".join(TYPE_WORDS.get(k, k) for k in kinds) or "any value"


@rule("bodies")
def textual_body_unions(ctx: Context, node: Node) -> None:
    """A body whose fields travel as text (a form, multipart parts) cannot hold a union with an object or
    list variant: the text would not tell which variant was sent."""
    body = node.value
    if not body or not BODIES[body["content"]].textual or not ctx.schemas_usable:
        return
    for j, p in enumerate(node.method.get("parameters") or []):
        target = _target(ctx, p["schema"]) if p["in"] == "body" else None
        variants = next((target[k] for k in UNIONS if isinstance(target, dict) and k in target), None)
        for i, variant in enumerate(variants or ()):
            if _types(ctx, variant) & {"object", "array"}:
                ctx.add(("methods", node.index, "parameters", j, "schema"), f"a {body['content']} body sends "
                        f"its fields as text, so a field cannot be a union with an object or list variant "
                        f"({_label(variant, i)})")
                break
