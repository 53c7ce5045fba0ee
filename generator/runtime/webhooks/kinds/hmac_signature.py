"""An HMAC (SHA-256 or SHA-1) over the raw body or over `timestamp.body`, sent hex or Base64 in a header."""

from __future__ import annotations

import base64
import hashlib
import hmac

from ..core import (
    KEEP_UNTIMED,
    Delivery,
    Signature,
    Verified,
    WebhookVerificationError,
    check_age,
    need_secret,
)
from ..core import timestamp as read_timestamp


def verify(signature: Signature, delivery: Delivery) -> Verified:
    secret = need_secret(delivery)
    given = delivery.header(signature.header).strip()
    message = delivery.body
    stamp = None
    if signature.signed == "timestamp.body":
        stamp = read_timestamp(delivery, signature.timestamp_header)
        message = b"%d." % stamp + delivery.body
    if signature.prefix:
        if not given.startswith(signature.prefix):
            raise WebhookVerificationError("bad_signature", f"the {signature.header} header lacks its prefix")
        given = given[len(signature.prefix) :]
    mac = hmac.new(secret, message, signature.algorithm).digest()
    if signature.encoding == "hex":
        expected = mac.hex().encode("ascii")
        given = given.lower()
    else:
        expected = base64.b64encode(mac)
    if not hmac.compare_digest(expected, given.encode("utf-8", "replace")):
        raise WebhookVerificationError("bad_signature", "the signature does not match the body and secret")
    if stamp is None:
        return Verified(hashlib.sha256(message).hexdigest(), delivery.now + KEEP_UNTIMED)
    check_age(stamp, delivery.now, signature.tolerance)
    return Verified(hashlib.sha256(message).hexdigest(), stamp + signature.tolerance)
