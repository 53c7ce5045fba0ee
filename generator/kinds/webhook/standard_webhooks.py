"""The Standard Webhooks specification: `webhook-id`, `webhook-timestamp` and `webhook-signature`
(`v1,<Base64 HMAC-SHA256 of id.timestamp.body>`), with a `whsec_` Base64 secret."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from typing import TYPE_CHECKING

from .base import WebhookKind

if TYPE_CHECKING:
    from ...ir import WebhookSignature


class StandardWebhooks(WebhookKind):
    name = "standard_webhooks"
    mock_secret = "whsec_" + base64.b64encode(b"opigen-mock-webhook-secret").decode("ascii")

    def wording(self, signature: WebhookSignature, code: Callable[[str], str]) -> str:
        return (
            "Deliveries follow the [Standard Webhooks](https://www.standardwebhooks.com/) specification: "
            "`webhook-signature` carries `v1,<Base64 HMAC-SHA256 of webhook-id.webhook-timestamp.body>` keyed "
            f"with your `whsec_` secret, and `webhook-timestamp` must be within {signature.tolerance} seconds "
            "of now. Verifying needs the optional extra `pip install 'opi-clients[standardwebhooks]'`."
        )

    def headers(self, signature: WebhookSignature) -> tuple[str, ...]:
        return ("webhook-id", "webhook-timestamp", "webhook-signature")

    def sign(self, signature: WebhookSignature, body: bytes, secret: bytes, now: int, ident: str) -> dict[str, str]:
        text = secret.decode("utf-8").removeprefix("whsec_")
        key = base64.b64decode(text + "==")
        mac = hmac.new(key, f"{ident}.{now}.".encode() + body, hashlib.sha256).digest()
        return {
            "webhook-id": ident,
            "webhook-timestamp": str(now),
            "webhook-signature": "v1," + base64.b64encode(mac).decode("ascii"),
        }


KIND = StandardWebhooks()
