"""What every webhook verification scheme shares: the error, the scheme's record and one delivery.

A delivery is checked on its raw bytes, before anything parses it: a scheme kind (`kinds/`) reads the
headers it needs, compares in constant time and says which key identifies the delivery for replay checks
and until when that key must be remembered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple, TypeAlias

Headers: TypeAlias = Mapping[str, str] | Iterable[tuple[str, str]]
"""A delivery's headers: a mapping (dict, httpx or Starlette headers) or (name, value) pairs."""
Secrets: TypeAlias = str | bytes | Sequence[str | bytes]
"""The webhook secret, or several (while a secret is rotated): a delivery signed with any of them counts."""

MAX_HEADERS = 256
MAX_HEADER_VALUE = 8192
MAX_SECRETS = 16  # secrets accepted at once (rotation needs two or three)
MAX_SIGNATURES = 16  # signatures one header may carry (any may match)
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
    separator: str = ""  # several signatures in `header`, split by this (any may match)
    signature_key: str = ""  # `key=value,...` pairs in `header`: the key of each signature (`v1`)
    timestamp_key: str = ""  # ... and the key of the signed timestamp (`t`)


class Delivery(NamedTuple):
    """One delivery as received: raw body, headers, the secrets (any may have signed it; empty ones left
    out), the sender's address. (A named tuple, as it is made once per delivery on the hot path.)"""

    body: bytes
    headers: Mapping[str, str]
    secrets: tuple[bytes, ...]
    source: str | None
    now: float

    def header(self, name: str) -> str:
        """A header's value, whatever the case of its name (the mapping may be a plain dict as given)."""
        headers = self.headers
        value = headers.get(name)
        if value is None:
            lower = name.lower()
            value = headers.get(lower)
            if value is None:  # bounded: the mapping holds at most MAX_HEADERS entries
                value = next((v for k, v in headers.items() if k.lower() == lower), None)
        if value is None:
            raise WebhookVerificationError("missing_header", f"the {name} header is missing")
        if len(value) > MAX_HEADER_VALUE:
            raise WebhookVerificationError("too_large", f"the {name} header is too long")
        return value


class Verified(NamedTuple):
    """An authentic delivery: the key that identifies it and until when a repeat of it is a replay."""

    key: str
    expires: float


def header_map(headers: Headers) -> Mapping[str, str]:
    """The headers as a mapping (pairs become a dict by lower-case name; a mapping is used as it is, and
    `Delivery.header` finds a name whatever its case), refusing more than any real delivery carries. A
    header that is read is also checked for its length, in `Delivery.header`."""
    # `type(...) is dict` first: an ABC isinstance check costs more than the rest of this function.
    if type(headers) is dict or isinstance(headers, Mapping):
        out: Mapping[str, str] = headers
    else:
        out = {name.lower(): value for name, value in headers}
    if len(out) > MAX_HEADERS:
        raise WebhookVerificationError("too_large", "too many headers")
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


def secrets_of(secret: Secrets) -> tuple[bytes, ...]:
    """The secrets as bytes, empty ones left out; at most MAX_SECRETS."""
    if isinstance(secret, str):
        return (secret.encode("utf-8"),) if secret else ()
    if isinstance(secret, bytes | bytearray | memoryview):
        return (bytes(secret),) if secret else ()
    out = tuple(s.encode("utf-8") if isinstance(s, str) else bytes(s) for s in secret)
    if len(out) > MAX_SECRETS:
        raise ValueError(f"at most {MAX_SECRETS} webhook secrets at once")
    return tuple(s for s in out if s)


def need_secrets(delivery: Delivery) -> tuple[bytes, ...]:
    if not delivery.secrets:
        raise WebhookVerificationError("no_secret", "no secret was given to check the signature with")
    return delivery.secrets
