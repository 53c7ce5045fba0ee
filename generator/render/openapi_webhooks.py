"""The OpenAPI 3.1 `webhooks` of a provider's export: one entry per event of the spec's `webhooks`, a POST
of the event's payload model with the headers its signature scheme sends, answered as the generated
receiver (`opi.<alias>.webhooks.app`) answers."""

from __future__ import annotations

from typing import Any

from ..ir import Provider, WebhookEvent, Webhooks
from ..kinds import WEBHOOKS

REFS = "#/components/schemas/"
MEDIA = "application/json"

# What the receiver answers, by status (`runtime/webhooks/asgi.py`: STATUS, any other refusal 401).
ANSWERS = {
    "200": "The event was verified and handled.",
    "401": "Refused: the delivery is not authentic (signature, timestamp, header or source).",
    "409": "Refused: this delivery was received before (a replay).",
    "413": "Refused: the body is over the size limit.",
    "422": "Refused: the payload is not a known event or does not match its schema.",
    "500": "The handler failed; the delivery is forgotten, so a retry is accepted.",
}


def webhooks_section(provider: Provider) -> dict[str, Any]:
    """The document's top-level `webhooks` (empty when the spec declares none)."""
    hooks = provider.webhooks
    if hooks is None:
        return {}
    return {event.name: {"post": _operation(provider, hooks, event)} for event in hooks.events}


def _operation(provider: Provider, hooks: Webhooks, event: WebhookEvent) -> dict[str, Any]:
    kind = WEBHOOKS[hooks.signature.scheme]
    wording = kind.wording(hooks.signature, lambda text: f"`{text}`")
    description = " ".join(f"{event.description} {wording}".split())
    operation: dict[str, Any] = {
        "operationId": f"webhook:{event.name}",
        "summary": event.name,
        "description": description,
        "requestBody": {
            "required": True,
            "content": {MEDIA: {"schema": {"$ref": REFS + event.model}, "example": event.example}},
        },
        "responses": {code: {"description": text} for code, text in ANSWERS.items()},
        "x-opigen-signature": {"scheme": hooks.signature.scheme, "max_bytes": hooks.max_bytes},
    }
    headers = kind.headers(hooks.signature)
    if headers:
        operation["parameters"] = [
            {"name": name, "in": "header", "required": True, "schema": {"type": "string"}} for name in headers
        ]
    if event.after:
        operation["x-opigen-after"] = list(event.after)
    return operation
