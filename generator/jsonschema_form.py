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
        elif key == "discriminator" and isinstance(value, dict):
            out[key] = _discriminator(value)
        else:
            out[key] = to_json_schema(value)
    if schema.get("nullable") is True:
        if "$ref" in out:
            return {"anyOf": [{"$ref": out.pop("$ref")}, {"type": "null"}], **out}
        if isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
        elif isinstance(out.get("type"), list) and "null" not in out["type"]:
            out["type"] = [*out["type"], "null"]
        if "enum" in out and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
        for union in ("oneOf", "anyOf"):
            if union in out and {"type": "null"} not in out[union]:
                out[union] = [*out[union], {"type": "null"}]
    return out


def _discriminator(value: dict[str, Any]) -> dict[str, Any]:
    """The mapping's '#/schemas/X' targets become '#/$defs/X', like every other reference."""
    mapping = value.get("mapping")
    if not isinstance(mapping, dict):
        return dict(value)
    return {**value, "mapping": {k: to_json_schema({"$ref": v})["$ref"] for k, v in mapping.items()}}
