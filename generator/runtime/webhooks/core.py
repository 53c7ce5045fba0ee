"""What every webhook verification scheme shares: the error, the scheme's record and one delivery.

A delivery is checked on its raw bytes, before anything parses it: a scheme kind (`kinds/`) reads the
headers it needs, compares in constant time and says which key identifies the delivery for replay checks
and until when that key must be remembered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeAlias

Headers: TypeAlias = Mapping[str, str] | Iterable[tuple[str, str]]
"""A delivery's headers: a mapping (dict, httpx or Starlette headers) or (name, value) pairs."""

MAX_HEADERS = 256
MAX_HEADER_VALUE = 8192
KEEP_UNTIMED = 7 * 24 * 3600.0  # how long a delivery without a signed timestamp is remembered for replays

# Why a delivery was refused: the `reason` of WebhookVerificationError.
REASONS = (
    "missing_header",  # a header the scheme needs is absent
    "bad_signature",  # the signature or token does not match the secret, or is malformed
    "too_old",  # the signed timestamp is outside the tolerance window
    "replayed",  # this delivery was accepted before
    "forbidden_source",  # the sender's address is not in the provider's ranges (or unknown)
    "no_secret",  # the scheme needs a secret and none was given
    "too_large",  # the body or a header is over the limit
    "bad_payload",  # the body is not JSON (invalid UTF-8, too deeply nested, ...)
    "unknown_event",  # the payload names no event the spec declares
    "schema_mismatch",  # the payload does not match its event's schema
    "unavailable",  # the scheme's optional library is not installed
)


class WebhookVerificationError(Exception):
    """A delivery that must not be trusted; `reason` (one of REASONS) says why, the message in words."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Signature:
    """How a provider signs its deliveries (the spec's `webhooks.signature`)."""

    scheme: str  # a key of kinds.REGISTRY
    header: str = ""
    algorithm: str = "sha256"
    encoding: str = "hex"
    signed: str = "body"  # or "timestamp.body"
    prefix: str = ""
    timestamp_header: str = ""
    tolerance: int = 300
    ranges: tuple[str, ...] = ()


@dataclass(frozen=True)
class Delivery:
    """One delivery as received: raw body, headers by lower-case name, the secret, the sender's address."""

    body: bytes
    headers: Mapping[str, str]
    secret: bytes
    source: str | None
    now: float

    def header(self, name: str) -> str:
        value = self.headers.get(name.lower())
        if value is None:
            raise WebhookVerificationError("missing_header", f"the {name} header is missing")
        return value


@dataclass(frozen=True)
class Verified:
    """An authentic delivery: the key that identifies it and until when a repeat of it is a replay."""

    key: str
    expires: float


def lower_headers(headers: Headers) -> dict[str, str]:
    """Headers by lower-case name, refusing more or longer ones than any real delivery carries."""
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    out: dict[str, str] = {}
    for count, (name, value) in enumerate(pairs):
        if count >= MAX_HEADERS or len(value) > MAX_HEADER_VALUE:
            raise WebhookVerificationError("too_large", "too many or too long headers")
        out[name.lower()] = value
    return out


def timestamp(delivery: Delivery, header: str) -> int:
    """A signed Unix timestamp header, read strictly (digits only)."""
    text = delivery.header(header).strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 12):
        raise WebhookVerificationError("bad_signature", f"the {header} header is not a Unix timestamp")
    return int(text)


def check_age(stamp: int, now: float, tolerance: int) -> None:
    if abs(now - stamp) > tolerance:
        raise WebhookVerificationError(
            "too_old", f"the delivery's timestamp is {int(now - stamp)} s from now (tolerance {tolerance} s)"
        )


def need_secret(delivery: Delivery) -> bytes:
    if not delivery.secret:
        raise WebhookVerificationError("no_secret", "no secret was given to check the signature with")
    return delivery.secret
