"""Text from the wire (path, query, header, form) read as the JSON type its schema declares."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from ..contract import SPEC_REFS
from ..ir import JsonSchema

_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")
_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")


def resolve(schema: JsonSchema, defs: dict[str, JsonSchema]) -> JsonSchema:
    """Follow '$ref's to the schema that declares the type."""
    seen: set[str] = set()
    while isinstance(schema.get("$ref"), str) and schema["$ref"].startswith(SPEC_REFS):
        name = schema["$ref"][len(SPEC_REFS):]
        if name in seen or name not in defs:
            break
        seen.add(name)
        schema = defs[name]
    return schema


def types_of(schema: JsonSchema, defs: dict[str, JsonSchema]) -> list[str]:
    schema = resolve(schema, defs)
    variants = schema.get("oneOf") or schema.get("anyOf")
    if isinstance(variants, list):  # a union: every variant's type, the most specific read first
        found = {k for v in variants for k in types_of(v, defs)}
        return sorted(found, key=["integer", "number", "boolean", "null", "object", "array", "string"].index)
    kind = schema.get("type")
    if isinstance(kind, list):
        return [str(k) for k in kind]
    return [kind] if isinstance(kind, str) else []


def scalar(text: str, schema: JsonSchema, defs: dict[str, JsonSchema]) -> tuple[Any, bool]:
    """(value, ok): the text as the schema's scalar type; ok is False when it cannot be read so."""
    kinds = types_of(schema, defs)
    resolved = resolve(schema, defs)
    union = "oneOf" in resolved or "anyOf" in resolved or isinstance(resolved.get("type"), list)
    # ... a string variant is tried last
    if not kinds or ("string" in kinds and not union):
        return text, True
    if "integer" in kinds and _INTEGER.fullmatch(text):
        return int(text), True
    if "number" in kinds and _NUMBER.fullmatch(text):
        value = float(text)
        if math.isfinite(value):
            return int(value) if _INTEGER.fullmatch(text) else value, True
    if "boolean" in kinds and text in ("true", "false"):
        return text == "true", True
    if "null" in kinds and text == "null":
        return None, True
    if kinds and kinds[0] in ("object", "array"):
        try:
            return json.loads(text), True
        except ValueError:
            return text, "string" in kinds
    return text, "string" in kinds


def from_wire(values: list[str], schema: JsonSchema, defs: dict[str, JsonSchema]) -> Any:
    """Every value of a repeated name for arrays, the last one otherwise; unreadable text stays text so
    that schema validation reports it."""
    target = resolve(schema, defs)
    if "array" in types_of(target, defs) and not (len(values) == 1 and values[0].startswith("[")):
        item = target.get("items", {})
        return [scalar(v, item if isinstance(item, dict) else {}, defs)[0] for v in values]
    return scalar(values[-1], schema, defs)[0]


_SEGMENT = re.compile(r"\[([^\[\]]*)\]")


def nested(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Bracket notation read back (`a[b]=1`, `a[0][c]=2`, `a[]=x`): objects as dicts, arrays as lists."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        head = key.split("[", 1)[0]
        rest = key[len(head):]
        parts = _SEGMENT.findall(rest) if rest and _SEGMENT.sub("", rest) == "" else None
        if parts is None:  # not bracket notation: the key as it is
            root[key] = value
            continue
        node: Any = root
        path = [head, *parts]
        for i, part in enumerate(path):
            last = i == len(path) - 1
            if isinstance(node, list):
                if part == "" or not part.isdigit():
                    node.append(value if last else {})
                    node = node[-1]
                    continue
                index = int(part)
                while len(node) <= index:
                    node.append(None)
                if last:
                    node[index] = value
                elif node[index] is None:
                    node[index] = [] if path[i + 1] == "" or path[i + 1].isdigit() else {}
                node = node[index]
                continue
            if last:
                node[part] = value
            else:
                nxt = path[i + 1]
                node = node.setdefault(part, [] if nxt == "" or nxt.isdigit() else {})
    return root


def typed(value: Any, schema: JsonSchema, defs: dict[str, JsonSchema]) -> Any:
    """Text leaves of a nested value read as the types the schema declares."""
    target = resolve(schema, defs)
    if isinstance(value, dict):
        props = target.get("properties") or {}
        extra = target.get("additionalProperties")
        return {k: typed(v, props.get(k, extra if isinstance(extra, dict) else {}), defs) for k, v in value.items()}
    if isinstance(value, list):
        item = target.get("items")
        return [typed(v, item if isinstance(item, dict) else {}, defs) for v in value]
    return scalar(value, schema, defs)[0] if isinstance(value, str) else value
