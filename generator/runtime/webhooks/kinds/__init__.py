"""Webhook verification schemes, one module per kind of the spec (`webhooks.signature.scheme`).

A kind checks one delivery's authenticity on its raw bytes and returns its replay key (`core.Verified`),
or raises `WebhookVerificationError`. `REGISTRY` maps the spec's name of the kind to its check.
"""

from __future__ import annotations

from collections.abc import Callable

from ..core import Delivery, Signature, Verified
from . import hmac_signature, ip_ranges, standard_webhooks, token_header

Verifier = Callable[[Signature, Delivery], Verified]

REGISTRY: dict[str, Verifier] = {
    "hmac": hmac_signature.verify,
    "token_header": token_header.verify,
    "standard_webhooks": standard_webhooks.verify,
    "ip_ranges": ip_ranges.verify,
}
