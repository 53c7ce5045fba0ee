"""An HMAC (SHA-256 or SHA-1) over the raw body or over `timestamp.body`, sent hex or Base64 in a header.

Written for the hot path (one call per delivery): one HMAC in OpenSSL, one constant-time compare."""

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

# hashlib's constructors, not their names: `hmac.new(key, msg, hashlib.sha256)` takes OpenSSL's fast path,
# measured at about half the time of `hmac.digest(key, msg, "sha256")` (which looks the name up per call).
_DIGESTS = {"sha256": hashlib.sha256, "sha1": hashlib.sha1}


def verify(signature: Signature, delivery: Delivery) -> Verified:
    secret = delivery.secret or need_secret(delivery)
    given = delivery.header(signature.header).strip()
    if signature.prefix:
        if not given.startswith(signature.prefix):
            raise WebhookVerificationError("bad_signature", f"the {signature.header} header lacks its prefix")
        given = given[len(signature.prefix) :]
    timed = signature.signed == "timestamp.body"
    if timed:
        text = delivery.header(signature.timestamp_header).strip()
        if not (text.isdigit() and text.isascii() and len(text) <= 12):
            raise WebhookVerificationError(
                "bad_signature", f"the {signature.timestamp_header} header is not a Unix timestamp"
            )
        message = b"%s.%s" % (text.encode("ascii"), delivery.body)
    else:
        message = delivery.body
    mac = hmac.new(secret, message, _DIGESTS[signature.algorithm]).digest()
    key = mac.hex()
    if not given.isascii():  # compare_digest takes ASCII text only; no signature is anything else
        matches = False
    elif signature.encoding == "hex":
        matches = hmac.compare_digest(key, given.lower())
    else:
        matches = hmac.compare_digest(base64.b64encode(mac).decode("ascii"), given)
    if not matches:
        raise WebhookVerificationError("bad_signature", "the signature does not match the body and secret")
    # The signature itself identifies the signed message (for this secret): it is the replay key.
    if not timed:
        return Verified(key, delivery.now + KEEP_UNTIMED)
    stamp = int(text)
    check_age(stamp, delivery.now, signature.tolerance)
    return Verified(key, stamp + signature.tolerance)
