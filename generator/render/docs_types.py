"""Types, constraints and field tables of the docs, as escaped Markdown built from the IR and JSON Schemas."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..ir import JsonSchema, TypeRef
from .mdx import code, md_cell

CHECK = "✔"
CROSS = "✖"
BR = "<br/>"  # a line break inside a table cell: valid HTML in GFM and a JSX element in MDX


@dataclass(frozen=True)
class FieldRow:
    """One row of a model's field table; every cell is Markdown, already escaped."""

    name: str
    type: str
    required: str
    constraints: str
    description: str


def value_text(value: Any) -> str:
    """A value as the docs show it: strings as they are, everything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def model_link(name: str, models: str) -> str:
    """A link to a model page; `models` is the path from the linking page to the models folder ('' = same)."""
    target = f"{models}/{name}.md" if models else f"{name}.md"
    return f"[{md_cell(name)}]({target})"


def typeref_md(t: TypeRef, models: str) -> str:
    """A parameter's type for a table cell, with its model linked."""
    if t.is_array and t.item is not None:
        return "array of " + typeref_md(t.item, models)
    if t.model is not None:
        return model_link(t.model, models)
    return md_cell(t.label)


def enum_md(values: tuple[Any, ...] | list[Any], meanings: tuple[str, ...] | list[str]) -> str:
    """Allowed values with their meanings, one per line of a table cell."""
    lines = []
    for i, value in enumerate(values):
        meaning = meanings[i] if i < len(meanings) else ""
        shown = code(value_text(value), cell=True)
        lines.append(f"{shown}: {md_cell(meaning)}" if meaning else shown)
    return BR.join(lines)


def _non_null(schema: JsonSchema) -> tuple[JsonSchema, bool]:
    """The schema without its 'or null' part, and whether null was allowed."""
    for union in ("anyOf", "oneOf"):
        options = schema.get(union)
        if not isinstance(options, list):
            continue
        rest = [o for o in options if o.get("type") != "null"]
        if len(rest) == 1 and len(rest) < len(options):
            merged = {k: v for k, v in schema.items() if k != union}
            return {**rest[0], **merged}, True
        if len(rest) < len(options):  # a nullable union keeps its other variants
            return {**schema, union: rest}, True
    kind = schema.get("type")
    if isinstance(kind, list) and "null" in kind:
        others = [k for k in kind if k != "null"]
        return {**schema, "type": others[0] if len(others) == 1 else others}, True
    return schema, False


def ref_name(schema: JsonSchema) -> str | None:
    ref = schema.get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def schema_type_md(schema: JsonSchema, models: str) -> str:
    """A JSON Schema's type for a table cell: 'string (uuid)', 'array of [Item](Item.md)', 'object'."""
    schema, _ = _non_null(schema)
    name = ref_name(schema)
    if name is not None:
        return model_link(name, models)
    options = schema.get("oneOf") or schema.get("anyOf")
    if isinstance(options, list):  # a union: `A or B`
        return " or ".join(schema_type_md(o, models) for o in options if o.get("type") != "null")
    kind = schema.get("type")
    if kind == "array":
        items = schema.get("items")
        return "array of " + schema_type_md(items, models) if isinstance(items, dict) else "array"
    if isinstance(kind, list):
        return " or ".join(md_cell(str(k)) for k in kind)
    if not isinstance(kind, str):
        return "any"
    fmt = schema.get("format")
    return md_cell(f"{kind} ({fmt})" if fmt else kind)


_LIMITS = (
    ("minLength", "min length {}"),
    ("maxLength", "max length {}"),
    ("minimum", "≥ {}"),
    ("exclusiveMinimum", "> {}"),
    ("maximum", "≤ {}"),
    ("minItems", "min items {}"),
    ("maxItems", "max items {}"),
)


def constraints_md(schema: JsonSchema) -> str:
    """Limits, pattern, nullability and default of a field, for a table cell."""
    schema, nullable = _non_null(schema)
    parts = [md_cell(template.format(value_text(schema[key]))) for key, template in _LIMITS if key in schema]
    if "pattern" in schema:
        parts.append("pattern " + code(str(schema["pattern"]), cell=True))
    if nullable:
        parts.append("nullable")
    if "default" in schema:
        parts.append("default " + code(value_text(schema["default"]), cell=True))
    if schema.get("additionalProperties") is True and schema.get("type") == "object":
        parts.append("other keys allowed")
    return ", ".join(parts)


def description_md(schema: JsonSchema, text: str = "") -> str:
    """A field's description with its allowed values, for a table cell."""
    schema, _ = _non_null(schema)
    lines = [md_cell(text or str(schema.get("description", "")))]
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        values = [v for v in enum if v is not None]
        lines.append("Values:" + BR + enum_md(values, list(schema.get("x-enum-descriptions", ()))))
    return BR.join(line for line in lines if line)


def field_rows(
    schema: JsonSchema, models: str, schemas: dict[str, JsonSchema], prefix: str = ""
) -> list[FieldRow]:
    """One row per property; inline objects (and arrays of them) add rows for their own fields.

    A field that only refers to a model takes that model's description.
    """
    schema = merged(_non_null(schema)[0], schemas)
    required = set(schema.get("required", ()))
    rows: list[FieldRow] = []
    for name, prop in (schema.get("properties") or {}).items():
        inner, _ = _non_null(prop)
        target = ref_name(inner)
        text = str(
            inner.get("description") or (schemas.get(target, {}).get("description", "") if target else "")
        )
        rows.append(
            FieldRow(
                name=code(prefix + name, cell=True),
                type=schema_type_md(prop, models),
                required=CHECK if name in required else CROSS,
                constraints=constraints_md(prop),
                description=description_md(prop, text),
            )
        )
        if inner.get("type") == "object" and inner.get("properties"):
            rows.extend(field_rows(inner, models, schemas, f"{prefix}{name}."))
        items = inner.get("items")
        if inner.get("type") == "array" and isinstance(items, dict) and items.get("properties"):
            rows.extend(field_rows(items, models, schemas, f"{prefix}{name}[]."))
    return rows


def refs(schema: Any) -> set[str]:
    """Names of every model a schema refers to, at any depth."""
    found: set[str] = set()
    if isinstance(schema, dict):
        name = ref_name(schema)
        if name is not None:
            found.add(name)
        for value in schema.values():
            found |= refs(value)
    elif isinstance(schema, list):
        for value in schema:
            found |= refs(value)
    return found


def merged(schema: JsonSchema, schemas: dict[str, JsonSchema]) -> JsonSchema:
    """An `allOf` as one object schema: the parts' properties and required names together, in order."""
    parts = schema.get("allOf")
    if not isinstance(parts, list):
        return schema
    props: dict[str, Any] = {}
    required: list[str] = []
    for part in parts:
        ref = part.get("$ref")
        target = merged(schemas.get(ref.rsplit("/", 1)[-1], {}) if isinstance(ref, str) else part, schemas)
        props.update(target.get("properties") or {})
        required += [r for r in target.get("required") or () if r not in required]
    out = {k: v for k, v in schema.items() if k != "allOf"}
    return {**out, "type": "object", "properties": props, "required": required}
