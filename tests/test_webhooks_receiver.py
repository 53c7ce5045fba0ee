"""The receiver's two parsing routes give the same events and the same reasons: the one-pass route (every
event has one model that declares the name field) and the general one (events of different models)."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import pydantic
import pytest

from generator.runtime.webhooks import Receiver, Signature, WebhookVerificationError

SECRET = b"k"


class Refund(pydantic.BaseModel):
    type: str
    amount: int


class Dispute(pydantic.BaseModel):
    type: str
    reason: str


class Envelope(pydantic.BaseModel):
    kind: str = pydantic.Field(alias="type")
    id: str


SIGNATURE = Signature("hmac", header="X-Sig")
SHARED = Receiver(SIGNATURE, ("type",), {"refund.done": Envelope, "refund.failed": Envelope})
MIXED = Receiver(SIGNATURE, ("type",), {"refund.done": Refund, "dispute.opened": Dispute})


def deliver(receiver: Receiver, value: Any) -> Any:
    body = json.dumps(value).encode() if not isinstance(value, bytes) else value
    headers = {"X-Sig": hmac.new(SECRET, body, hashlib.sha256).hexdigest()}
    try:
        return receiver.verify(body, headers, SECRET)
    except WebhookVerificationError as exc:
        return exc.reason


def test_routes() -> None:
    assert SHARED._direct is not None and MIXED._direct is None
    event = deliver(SHARED, {"type": "refund.failed", "id": "r1"})
    assert (event.name, event.data.kind, event.data.id) == ("refund.failed", "refund.failed", "r1")
    event = deliver(MIXED, {"type": "dispute.opened", "reason": "fraud"})
    assert event.name == "dispute.opened" and isinstance(event.data, Dispute)
    assert isinstance(deliver(MIXED, {"type": "refund.done", "amount": 5}).data, Refund)


@pytest.mark.parametrize("receiver", [SHARED, MIXED], ids=["one-pass", "general"])
@pytest.mark.parametrize(("value", "reason"), [
    ({"type": "refund.lost", "id": "r", "amount": 1, "reason": "x"}, "unknown_event"),
    ({"id": "r"}, "unknown_event"),
    ({"type": "refund.done"}, "schema_mismatch"),
    (b'{"type": "refund.done", "id": "\xff"}', "bad_payload"),
    (b"[" * 5000 + b"]" * 5000, "bad_payload"),
    (b'{"type": "refund.done", "id": NaN, "amount": NaN}', "bad_payload"),
])
def test_same_reasons_on_both_routes(receiver: Receiver, value: Any, reason: str) -> None:
    assert deliver(receiver, value) == reason
