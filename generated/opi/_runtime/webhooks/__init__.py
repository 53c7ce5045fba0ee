"""Receiving a provider's webhooks: verify a delivery's raw bytes, then parse it into a typed event.

Each provider with a `webhooks` section gets `opi.<alias>.webhooks` with `verify(body, headers, secret)` and
`app(secret, handlers)`, built on `Receiver` here. Verification schemes are kinds (`kinds/`), one per
`webhooks.signature.scheme` of the spec.
"""

from __future__ import annotations

from .asgi import ASGIApp, Handler, receiver_app, status_of
from .core import REASONS, Headers, Secrets, Signature, WebhookVerificationError
from .receiver import Event, Receiver
from .replay import ReplayGuard, ReplayStore

__all__ = [
    "REASONS",
    "ASGIApp",
    "Event",
    "Handler",
    "Headers",
    "Receiver",
    "ReplayGuard",
    "ReplayStore",
    "Secrets",
    "Signature",
    "WebhookVerificationError",
    "receiver_app",
    "status_of",
]
