"""Stage 3 for the `webhooks` section: the checked section -> `ir.Webhooks` (None when the spec has none)."""

from __future__ import annotations

from typing import Any

from . import ir
from .jsonschema_form import to_json_schema
from .names import slug

DEFAULT_MAX_BYTES = 1 << 20


def webhooks_of(data: dict[str, Any]) -> ir.Webhooks | None:
    section = data.get("webhooks")
    if section is None:
        return None
    raw: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in section["signature"].items()}
    pairs = raw.pop("pairs", None)
    if pairs is not None:
        raw.update(signature_key=pairs["signature"], timestamp_key=pairs.get("timestamp", ""))
    signature = ir.WebhookSignature(**raw)
    events = tuple(
        ir.WebhookEvent(
            name=e["name"], slug=slug(e["name"]), description=e["description"],
            model=e["schema"]["$ref"].rsplit("/", 1)[-1], schema=to_json_schema(e["schema"]),
            example=e["example"], after=tuple(e.get("after", ())),
        )
        for e in section["events"]
    )
    return ir.Webhooks(
        description=section.get("description", ""), type_field=tuple(section["type_field"].split(".")),
        max_bytes=section.get("max_bytes", DEFAULT_MAX_BYTES), signature=signature, events=events,
    )
