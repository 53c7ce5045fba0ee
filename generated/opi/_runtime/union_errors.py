"""Which variants a value was tried against, for the message of an answer that matches none of a union's.

pydantic reports each variant's own error; this walks an error's location through the model's JSON Schema
and, at the first union (`anyOf` / `oneOf`) on the way, names its variants: `blocks.0: tried TextBlock,
ImageBlock, DividerBlock`.
"""

from __future__ import annotations

from typing import Any

import pydantic

_REF = "#/$defs/"


def _resolve(node: Any, defs: dict[str, Any]) -> Any:
    for _ in range(64):  # a chain of references is short; a loop of them ends here
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not isinstance(ref, str) or not ref.startswith(_REF):
            return node
        node = defs.get(ref[len(_REF) :], {})
    return node


def _name(variant: Any) -> str:
    if isinstance(variant, dict):
        ref = variant.get("$ref")
        if isinstance(ref, str):
            return ref.rsplit("/", 1)[-1]
        if "const" in variant:
            return repr(variant["const"])
        if "enum" in variant:
            return " | ".join(repr(v) for v in variant["enum"])
        return str(variant.get("type", "value"))
    return "value"


def _union_at(schema: dict[str, Any], loc: tuple[int | str, ...]) -> tuple[str, list[str]] | None:
    defs: dict[str, Any] = schema.get("$defs", {})
    node: Any = schema
    for depth in range(len(loc) + 1):
        node = _resolve(node, defs)
        if not isinstance(node, dict):
            return None
        variants = node.get("oneOf") or node.get("anyOf")
        if isinstance(variants, list):
            named = [_name(v) for v in variants if not (isinstance(v, dict) and v.get("type") == "null")]
            if len(named) > 1:
                return ".".join(str(p) for p in loc[:depth]) or "body", named
        if depth == len(loc):
            return None
        part = loc[depth]
        if isinstance(part, int):
            node = node.get("items", {})
        elif part in (node.get("properties") or {}):
            node = node["properties"][part]
        else:
            node = node.get("additionalProperties", {})
    return None


def variants_tried(model: type[pydantic.BaseModel], error: pydantic.ValidationError) -> str:
    """`; variants tried at blocks.0: TextBlock, ImageBlock` for each union an error passed, or ''."""
    try:
        schema = model.model_json_schema(by_alias=True, mode="validation")
    except Exception:  # a schema pydantic cannot draw must not hide the real error
        return ""
    found: dict[str, list[str]] = {}
    for item in error.errors(include_url=False):
        hit = _union_at(schema, tuple(item["loc"]))
        if hit is not None:
            found.setdefault(hit[0], hit[1])
    return "".join(f"; variants tried at {where}: {', '.join(names)}" for where, names in found.items())
