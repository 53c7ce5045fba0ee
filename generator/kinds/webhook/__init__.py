"""Webhook verification scheme kinds (the spec's `webhooks.signature.scheme`), generator side."""
