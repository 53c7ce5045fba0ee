"""Webhook verification schemes, one module per kind of the spec (`webhooks.signature.scheme`).

A kind's `build(signature)` reads the spec's record once and returns the check of one delivery: it checks
the delivery's authenticity on its raw bytes and returns its replay key (`core.Verified`), or raises
`WebhookVerificationError`. `REGISTRY` maps the spec's name of the kind to its `build`.
"""

from __future__ import annotations

from collections.abc import Callable

from ..core import Delivery, Signature, Verified
from . import hmac_signature, ip_ranges, standard_webhooks, token_header

Check = Callable[[Delivery], Verified]
Builder = Callable[[Signature], Check]

REGISTRY: dict[str, Builder] = {
    "hmac": hmac_signature.build,
    "token_header": token_header.build,
    "standard_webhooks": standard_webhooks.build,
    "ip_ranges": ip_ranges.build,
}
