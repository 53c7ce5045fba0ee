"""The Standard Webhooks specification (webhook-id, webhook-timestamp, webhook-signature), signed by the
`standardwebhooks` library: an optional extra of the package (`pip install 'opi-clients[standardwebhooks]'`),
imported only when a provider that uses this scheme verifies a delivery.

The library's `Webhook.sign` computes the expected `v1,<Base64>` signature; the timestamp window is checked
here against the delivery's clock (`verify(..., now=)`, the spec's tolerance), because the library's own
`verify` reads the wall clock with a fixed five minutes. Each `v1` signature of the space-separated list is
compared with each secret's in constant time, as the library's `verify` does."""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Callable
from datetime import UTC, datetime

from ..core import (
    MAX_SIGNATURES,
    Delivery,
    Signature,
    Verified,
    WebhookVerificationError,
    check_age,
    need_secrets,
)
from ..core import timestamp as read_timestamp


def _offered(text: str) -> list[bytes]:
    """The `v1` signatures of a `webhook-signature` header, as raw bytes (other versions are skipped)."""
    parts = text.split(" ", MAX_SIGNATURES)
    if len(parts) > MAX_SIGNATURES:
        raise WebhookVerificationError("bad_signature", "Standard Webhooks: too many signatures")
    out = []
    for part in parts:
        version, comma, value = part.partition(",")
        if not comma:
            raise WebhookVerificationError(
                "bad_signature", f"Standard Webhooks: malformed signature {part[:20]!r}"
            )
        if version == "v1":
            try:
                out.append(base64.b64decode(value, validate=True))
            except (ValueError, binascii.Error):
                out.append(b"")
    return out


def build(signature: Signature) -> Callable[[Delivery], Verified]:
    tolerance = signature.tolerance

    def verify(delivery: Delivery) -> Verified:
        try:
            from standardwebhooks.webhooks import Webhook
        except ImportError:
            raise WebhookVerificationError(
                "unavailable", "this provider's webhooks need `pip install 'opi-clients[standardwebhooks]'`"
            ) from None
        secrets = need_secrets(delivery)
        ident = delivery.header("webhook-id")
        if not ident.strip():
            raise WebhookVerificationError("missing_header", "the webhook-id header is empty")
        stamp = read_timestamp(delivery, "webhook-timestamp")
        offered = _offered(delivery.header("webhook-signature").strip())
        check_age(stamp, delivery.now, tolerance)  # the spec's window, on the delivery's clock
        try:
            text = delivery.body.decode("utf-8")
        except UnicodeDecodeError:
            raise WebhookVerificationError(
                "bad_signature", "Standard Webhooks: the body is not UTF-8"
            ) from None
        moment = datetime.fromtimestamp(stamp, tz=UTC)
        matches = False
        for secret in secrets:
            try:
                webhook = Webhook(secret.decode("utf-8", "replace"))
            except Exception as exc:  # the library refuses a secret that is not Base64
                raise WebhookVerificationError(
                    "no_secret", f"not a Standard Webhooks secret: {exc}"
                ) from None
            expected = base64.b64decode(webhook.sign(ident, moment, text).partition(",")[2])
            for raw in offered:
                matches |= hmac.compare_digest(expected, raw)
        if not matches:
            raise WebhookVerificationError("bad_signature", "Standard Webhooks: no matching signature found")
        return Verified(f"webhook-id:{ident}", stamp + tolerance)

    return verify
