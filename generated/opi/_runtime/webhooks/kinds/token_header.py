"""A shared secret token sent as it is in a header (a bot platform's secret-token header)."""

from __future__ import annotations

import hashlib
import hmac

from ..core import KEEP_UNTIMED, Delivery, Signature, Verified, WebhookVerificationError, need_secret


def verify(signature: Signature, delivery: Delivery) -> Verified:
    secret = need_secret(delivery)
    given = delivery.header(signature.header).encode("utf-8", "replace")
    if not hmac.compare_digest(given, secret):
        raise WebhookVerificationError(
            "bad_signature", f"the {signature.header} header does not match the secret"
        )
    return Verified(hashlib.sha256(delivery.body).hexdigest(), delivery.now + KEEP_UNTIMED)
