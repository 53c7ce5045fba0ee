"""Synthetic specs for the scale benchmark: N providers of M methods with realistic schemas."""

from __future__ import annotations

from pathlib import Path

import yaml


def spec(index: int, methods: int) -> dict[str, object]:
    alias = f"synth{index:03d}"
    item = {
        "type": "object",
        "description": "A line of the refund.",
        "required": ["sku", "amount", "vat"],
        "properties": {
            "sku": {"type": "string", "maxLength": 64, "description": "Stock keeping unit."},
            "amount": {"type": "number", "minimum": 0, "description": "Amount."},
            "vat": {"type": "string", "enum": ["none", "vat10", "vat20"],
                    "x-enum-descriptions": ["No VAT.", "VAT 10%.", "VAT 20%."], "description": "VAT code."},
            "note": {"type": "string", "description": "Free text."},
        },
    }
    result = {
        "type": "object",
        "description": "The refund.",
        "required": ["id", "status"],
        "properties": {
            "id": {"type": "string", "format": "uuid", "description": "Refund id."},
            "status": {"type": "string", "enum": ["new", "done"], "description": "State."},
            "items": {"type": "array", "items": {"$ref": "#/schemas/Item"}, "description": "Lines."},
        },
    }
    example = {"id": "6f1c3a52-3d55-4d4c-9d0a-6e2f1f7c8b10", "status": "new",
               "items": [{"sku": "A-1", "amount": 10.5, "vat": "vat20"}]}
    out_methods = []
    for m in range(methods):
        out_methods.append({
            "name": f"CreateRefund{m:02d}",
            "title": f"Create refund {m:02d}",
            "description": f"Creates refund number {m}",
            "group": "Refunds",
            "http": f"POST /orders/{{order_id}}/refunds{m:02d}",
            "doc": {"title": "Refunds", "url": f"https://example.com/{alias}/refunds/{m}"},
            "source": "synthetic",
            "body": {"content": "json", "model": f"Refund{m:02d}Request"},
            "parameters": [
                {"name": "order_id", "in": "path", "required": True, "description": "Order id.",
                 "schema": {"type": "integer"}, "example": 42},
                {"name": "amount", "in": "body", "required": True, "description": "Amount.",
                 "schema": {"type": "number", "minimum": 0}, "example": 10.5},
                {"name": "items", "in": "body", "description": "Lines.",
                 "schema": {"type": "array", "items": {"$ref": "#/schemas/Item"}},
                 "example": [{"sku": "A-1", "amount": 10.5, "vat": "vat20"}]},
            ],
            "responses": {"200": {"description": "Created.", "schema": {"$ref": "#/schemas/Refund"},
                                  "example": example}},
        })
    return {
        "format": 1,
        "provider": {"alias": alias, "title": f"Synth {index}", "description": "A synthetic provider.",
                     "docs_url": "https://example.com/", "groups": [{"name": "Refunds"}]},
        "environments": [{"name": "production", "url": f"https://{alias}.example.com", "default": True}],
        "auth": {"schemes": {"bearer": {"type": "bearer", "token": {"description": "API token."}}},
                 "require": [["bearer"]]},
        "errors": {
            "schema": {"type": "object", "properties": {"message": {"type": "string"}}},
            "message": ["message"],
            "answers": {k: {"status": s, "body": {"message": "{message}"}}
                        for k, s in (("unauthorized", 401), ("validation", 422), ("not_found", 404))},
        },
        "schemas": {"Item": item, "Refund": result},
        "methods": out_methods,
    }


class _NoAliasDumper(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:
        return True


def write_specs(directory: Path, providers: int, methods: int) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(providers):
        path = directory / f"synth{i:03d}.yaml"
        path.write_text(yaml.dump(spec(i, methods), Dumper=_NoAliasDumper, sort_keys=False, allow_unicode=True), encoding="utf-8")
        paths.append(path)
    return paths
