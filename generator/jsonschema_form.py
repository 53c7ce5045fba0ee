"""Spec schemas -> plain JSON Schema (draft 2020-12), the form every consumer (checker, models, mock) uses."""

from __future__ import annotations

from typing import Any

_SPEC_REF = "#/schemas/"
_DEFS_REF = "#/$defs/"


def to_json_schema(schema: Any) -> Any:
    """Refs become '#/$defs/Name'; `nullable: true` becomes a type that also admits null."""
    if isinstance(schema, list):
        return [to_json_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "$ref" and isinstance(value, str) and value.startswith(_SPEC_REF):
            out[key] = _DEFS_REF + value[len(_SPEC_REF):]
        elif key in ("example", "default", "enum", "const"):
            out[key] = value
        elif key == "nullable":
            continue
        else:
            out[key] = to_json_schema(value)
    if schema.get("nullable") is True:
        if "$ref" in out:
            return {"anyOf": [{"$ref": out.pop("$ref")}, {"type": "null"}], **out}
        if isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
        if "enum" in out and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
    return out
