"""Docs for unions and compositions: a union model's variants with their discriminator values, and the
fields an `allOf` gathers from its parts."""

from __future__ import annotations

from ..ir import JsonSchema, Provider
from .docs_types import model_link, schema_type_md, value_text
from .mdx import code

UNIONS = ("oneOf", "anyOf")


def variants(schema: JsonSchema) -> list[JsonSchema] | None:
    """The members of a union schema (the `null` member left out), or None for any other schema."""
    found = next((schema[k] for k in UNIONS if isinstance(schema.get(k), list)), None)
    return None if found is None else [v for v in found if v.get("type") != "null"]


def variant_lines(provider: Provider, name: str) -> tuple[str, ...]:
    """One Markdown line per variant of the union model `name`: its type and, with a discriminator, the
    value that selects it (`[ImageBlock](ImageBlock.md): \\`type\\` is \\`"image"\\``)."""
    members = variants(provider.schemas[name])
    if members is None:
        return ()
    union = next((u for u in provider.unions if u.name == name), None)
    lines = []
    for member in members:
        text = schema_type_md(member, "")
        ref = member.get("$ref")
        tags = [t for t, model in (union.tags if union else ()) if isinstance(ref, str) and ref.endswith("/" + model)]
        if union is not None and union.discriminator and tags:
            shown = " or ".join(code(value_text(t)) for t in tags)
            text += f": {code(union.discriminator)} is {shown}"
        lines.append(text)
    return tuple(lines)


def parts_line(schema: JsonSchema) -> str:
    """`Includes the fields of [Stamped](Stamped.md).` for an allOf with named parts, else ''."""
    names = [p["$ref"].rsplit("/", 1)[-1] for p in schema.get("allOf") or () if isinstance(p.get("$ref"), str)]
    return f"Includes the fields of {', '.join(model_link(n, '') for n in names)}." if names else ""


def answer_union(provider: Provider, schema: JsonSchema | None, models: str) -> str | None:
    """How a union answer (or a list of union items) reads on a method page: `one of [A](A.md) or
    [B](B.md)` (with the named union linked), or None when the answer is no union."""
    if not isinstance(schema, dict):
        return None
    each = ""
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        schema, each = schema["items"], "each "
    ref = schema.get("$ref")
    name = ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None
    target = provider.schemas.get(name, {}) if name else schema
    members = variants(target)
    if members is None:
        return None
    text = each + "one of " + ", ".join(schema_type_md(m, models) for m in members)
    return text + (f" (see {model_link(name, models)})" if name else "")
