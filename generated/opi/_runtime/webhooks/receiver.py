"""One provider's webhook receiver: verify a delivery's raw bytes, then parse it into its event's model.

Parsing has two routes with the same outcome. When every event has one model and that model declares the
event-name field, the body is parsed and validated in one pass (`model_validate_json`) and the name read
from the result; a body that fails there, or names an event of another model, takes the general route:
parse, find the event by its name, validate with its model, and say precisely what is wrong.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, NamedTuple, TypeVar

import pydantic
import pydantic_core

from .core import (
    MAX_HEADERS,
    Delivery,
    Headers,
    Secrets,
    Signature,
    Verified,
    WebhookVerificationError,
    header_map,
    secrets_of,
)
from .kinds import REGISTRY
from .replay import ReplayStore

T = TypeVar("T")


class Event(NamedTuple, Generic[T]):
    """A verified event: its name (the spec's event name), its typed payload, and its replay key."""

    name: str
    data: T
    key: str


def _attribute_path(model: type[pydantic.BaseModel], path: tuple[str, ...]) -> tuple[str, ...] | None:
    """The attribute names that reach the wire path `path` through declared fields, or None."""
    out: list[str] = []
    current: Any = model
    for part in path:
        fields = getattr(current, "model_fields", None)
        if not isinstance(fields, dict):
            return None
        name = next((n for n, f in fields.items() if (f.alias or n) == part), None)
        if name is None:
            return None
        out.append(name)
        current = fields[name].annotation
    return tuple(out)


@dataclass(frozen=True)
class Receiver:
    """A provider's webhooks: how deliveries are signed, where the event name is, each event's model."""

    signature: Signature
    type_field: tuple[str, ...]
    events: Mapping[str, type[pydantic.BaseModel]]
    max_bytes: int = 1 << 20
    _direct: tuple[type[pydantic.BaseModel], tuple[str, ...]] | None = field(
        default=None, init=False, repr=False
    )
    _check: Callable[[Delivery], Verified] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_check", REGISTRY[self.signature.scheme](self.signature))
        models = set(self.events.values())
        if len(models) == 1:
            (model,) = models
            attributes = _attribute_path(model, self.type_field)
            if attributes is not None:
                object.__setattr__(self, "_direct", (model, attributes))

    def verify(
        self,
        body: bytes,
        headers: Headers,
        secret: Secrets,
        *,
        source: str | None = None,
        now: float | None = None,
        replays: ReplayStore | None = None,
    ) -> Event[Any]:
        """The typed event of one delivery, or WebhookVerificationError saying why it is refused.

        `secret` may be several secrets (a rotation): a delivery signed with any of them is accepted. `now`
        is the clock the signed timestamp is checked against (every scheme). Order: size limit,
        authenticity on the raw bytes (constant-time), parse and validate, then the replay check, which
        records the delivery in `replays`."""
        if not isinstance(body, bytes):
            if not isinstance(body, bytearray | memoryview):
                raise TypeError("body must be the raw bytes of the delivery")
            body = bytes(body)
        if len(body) > self.max_bytes:
            raise WebhookVerificationError("too_large", f"the body is over {self.max_bytes} bytes")
        if type(secret) is str:  # the usual call: one secret as text
            keys: tuple[bytes, ...] = (secret.encode("utf-8"),) if secret else ()
        else:
            keys = secrets_of(secret)
        moment = time.time() if now is None else now
        mapping = headers if type(headers) is dict else header_map(headers)
        if len(mapping) > MAX_HEADERS:
            mapping = header_map(headers)  # raises too_large
        verified = self._check(Delivery(body, mapping, keys, source, moment))
        name, data = self.parse(body)
        if replays is not None and replays.seen(verified.key, max(verified.expires - moment, 1.0)):
            raise WebhookVerificationError("replayed", "this delivery was already received")
        return Event(name, data, verified.key)

    def parse(self, body: bytes) -> tuple[str, pydantic.BaseModel]:
        """An authentic body as (event name, typed payload); depth and UTF-8 are enforced by the parser."""
        if self._direct is not None:
            model, attributes = self._direct
            try:
                data = model.__pydantic_validator__.validate_json(body)  # model_validate_json, minus a call
            except ValueError:  # pydantic's ValidationError is one: the general route says what is wrong
                return self._parse(body)
            found: Any = data
            for attribute in attributes:
                found = getattr(found, attribute, None)
            if isinstance(found, str) and found in self.events:
                return found, data
        return self._parse(body)

    def _parse(self, body: bytes) -> tuple[str, pydantic.BaseModel]:
        try:
            value = pydantic_core.from_json(body, allow_inf_nan=False)
        except ValueError as exc:
            raise WebhookVerificationError("bad_payload", f"the body is not JSON: {exc}") from None
        found: Any = value
        for part in self.type_field:
            found = found.get(part) if isinstance(found, dict) else None
        model = self.events.get(found) if isinstance(found, str) else None
        if model is None:
            where = ".".join(self.type_field)
            shown = repr(found)[:80] if isinstance(found, str) else "nothing"
            raise WebhookVerificationError("unknown_event", f"{where} names no known event ({shown})")
        try:
            return found, model.model_validate(value)
        except pydantic.ValidationError as exc:
            first = exc.errors()[0]
            at = ".".join(str(p) for p in first["loc"]) or "the payload"
            raise WebhookVerificationError(
                "schema_mismatch", f"{found} payload does not match its schema at {at}: {first['msg']}"
            ) from None
