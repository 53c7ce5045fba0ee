"""A provider's webhooks: the `opi.<alias>.webhooks` module (verify, the ASGI app) and its docs pages."""

from __future__ import annotations

from ..ir import Provider, WebhookSignature
from ..kinds import WEBHOOKS
from ..runtime.webhooks.core import Signature
from .env import render
from .package import header
from .pycode import Record, record


def signature_record(signature: WebhookSignature) -> Record:
    return record(
        Signature,
        signature.scheme,
        header=signature.header,
        algorithm=signature.algorithm,
        encoding=signature.encoding,
        signed=signature.signed,
        prefix=signature.prefix,
        timestamp_header=signature.timestamp_header,
        tolerance=signature.tolerance,
        ranges=signature.ranges,
        separator=signature.separator,
        signature_key=signature.signature_key,
        timestamp_key=signature.timestamp_key,
    )


def render_webhooks_module(provider: Provider) -> dict[str, str]:
    hooks = provider.webhooks
    if hooks is None:
        return {}
    models = sorted({e.model for e in hooks.events})
    events = "{" + ", ".join(f"{e.name!r}: _models.{e.model}" for e in hooks.events) + "}"
    names = tuple(e.name for e in hooks.events)
    text = render(
        "package/webhooks.py.j2",
        header=header(provider),
        title=provider.title,
        first=names[0],
        names=names,
        payload=" | ".join(f"_models.{m}" for m in models),
        signature=signature_record(hooks.signature),
        type_field=hooks.type_field,
        events=events,
        max_bytes=hooks.max_bytes,
        needs_secret=WEBHOOKS[hooks.signature.scheme].needs_secret,
        wording=WEBHOOKS[hooks.signature.scheme].wording(hooks.signature, lambda text: f"`{text}`"),
    )
    return {f"opi/{provider.alias}/webhooks.py": text}
