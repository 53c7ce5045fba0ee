"""One provider's webhook receiver: verify a delivery's raw bytes, then parse it into its event's model."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import pydantic
import pydantic_core

from .core import Delivery, Headers, Signature, WebhookVerificationError, lower_headers
from .kinds import REGISTRY
from .replay import ReplayGuard

T = TypeVar("T")


@dataclass(frozen=True)
class Event(Generic[T]):
    """A verified event: its name (the spec's event name), its typed payload, and its replay key."""

    name: str
    data: T
    key: str


@dataclass(frozen=True)
class Receiver:
    """A provider's webhooks: how deliveries are signed, where the event name is, each event's model."""

    signature: Signature
    type_field: tuple[str, ...]
    events: Mapping[str, type[pydantic.BaseModel]]
    max_bytes: int = 1 << 20

    def verify(
        self,
        body: bytes,
        headers: Headers,
        secret: str | bytes,
        *,
        source: str | None = None,
        now: float | None = None,
        replays: ReplayGuard | None = None,
    ) -> Event[Any]:
        """The typed event of one delivery, or WebhookVerificationError saying why it is refused.

        Order: size limit, authenticity on the raw bytes (constant-time), parse and validate, then the
        replay check, which records the delivery."""
        if not isinstance(body, bytes | bytearray | memoryview):
            raise TypeError("body must be the raw bytes of the delivery")
        if len(body) > self.max_bytes:
            raise WebhookVerificationError("too_large", f"the body is over {self.max_bytes} bytes")
        raw = bytes(body)
        key = secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
        moment = time.time() if now is None else now
        delivery = Delivery(raw, lower_headers(headers), key, source, moment)
        verified = REGISTRY[self.signature.scheme](self.signature, delivery)
        name, data = self.parse(raw)
        if replays is not None and not replays.add(verified.key, verified.expires, moment):
            raise WebhookVerificationError("replayed", "this delivery was already received")
        return Event(name, data, verified.key)

    def parse(self, body: bytes) -> tuple[str, pydantic.BaseModel]:
        """An authentic body as (event name, typed payload); depth and UTF-8 are enforced by the parser."""
        try:
            value = pydantic_core.from_json(body, allow_inf_nan=False)
        except ValueError as exc:
            raise WebhookVerificationError("bad_payload", f"the body is not JSON: {exc}") from None
        found: Any = value
        for part in self.type_field:
            found = found.get(part) if isinstance(found, dict) else None
        model = self.events.get(found) if isinstance(found, str) else None
        if model is None:
            field = ".".join(self.type_field)
            shown = repr(found)[:80] if isinstance(found, str) else "nothing"
            raise WebhookVerificationError("unknown_event", f"{field} names no known event ({shown})")
        try:
            return found, model.model_validate(value)
        except pydantic.ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "the payload"
            raise WebhookVerificationError(
                "schema_mismatch", f"{found} payload does not match its schema at {where}: {first['msg']}"
            ) from None
