"""The Standard Webhooks specification (webhook-id, webhook-timestamp, webhook-signature), checked by the
`standardwebhooks` library: an optional extra of the package (`pip install 'opi-clients[standardwebhooks]'`),
imported only when a provider that uses this scheme verifies a delivery."""

from __future__ import annotations

from ..core import Delivery, Signature, Verified, WebhookVerificationError, check_age, need_secret
from ..core import timestamp as read_timestamp


def verify(signature: Signature, delivery: Delivery) -> Verified:
    try:
        from standardwebhooks.webhooks import Webhook
        from standardwebhooks.webhooks import WebhookVerificationError as LibraryError
    except ImportError:
        raise WebhookVerificationError(
            "unavailable", "this provider's webhooks need `pip install 'opi-clients[standardwebhooks]'`"
        ) from None
    secret = need_secret(delivery).decode("utf-8", "replace")
    ident = delivery.header("webhook-id")
    stamp = read_timestamp(delivery, "webhook-timestamp")
    delivery.header("webhook-signature")
    check_age(stamp, delivery.now, signature.tolerance)  # the spec's window; the library's is five minutes
    try:
        webhook = Webhook(secret)
    except Exception as exc:  # the library refuses a secret that is not Base64, or an empty one
        raise WebhookVerificationError("no_secret", f"not a Standard Webhooks secret: {exc}") from None
    headers = {k: delivery.header(k) for k in ("webhook-id", "webhook-timestamp", "webhook-signature")}
    try:
        webhook.verify(delivery.body, headers, json_parse=False)
    except LibraryError as exc:
        text = str(exc)
        reason = "too_old" if "timestamp" in text.lower() else "bad_signature"
        raise WebhookVerificationError(reason, f"Standard Webhooks: {text}") from None
    except (ValueError, UnicodeError) as exc:  # a malformed signature list, bad Base64, a body not UTF-8
        raise WebhookVerificationError(
            "bad_signature", f"Standard Webhooks: malformed delivery ({exc})"
        ) from None
    return Verified(f"webhook-id:{ident}", stamp + signature.tolerance)
