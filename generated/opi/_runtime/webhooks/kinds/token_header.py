"""A shared secret token sent as it is in a header (a bot platform's secret-token header)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

from ..core import KEEP_UNTIMED, Delivery, Signature, Verified, WebhookVerificationError, need_secrets


def build(signature: Signature) -> Callable[[Delivery], Verified]:
    header = signature.header

    def verify(delivery: Delivery) -> Verified:
        secrets = need_secrets(delivery)
        given = delivery.header(header).encode("utf-8", "replace")
        matches = False
        for secret in secrets:  # every secret is compared: no early exit
            matches |= hmac.compare_digest(given, secret)
        if not matches:
            raise WebhookVerificationError("bad_signature", f"the {header} header does not match the secret")
        return Verified(hashlib.sha256(delivery.body).hexdigest(), delivery.now + KEEP_UNTIMED)

    return verify
