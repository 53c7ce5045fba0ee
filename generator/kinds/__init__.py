"""The kind registries: spec name -> kind. Adding a kind is its modules, one line here and its tests.

Each registry's keys are exactly the values the spec format allows for the key that picks the kind
(`tests/test_kinds.py` holds them equal to `spec.schema.json`'s enums and to the runtime's registries).
"""

from __future__ import annotations

from .answer import binary, empty, text
from .answer import json as json_answer
from .auth import (
    api_key,
    basic,
    bearer,
    hmac_body,
    jwt_bearer,
    oauth1,
    oauth2,
    oauth2_code,
    oauth2_device,
    sigv4,
)
from .base import AnswerKind, AuthKind, BodyKind
from .body import binary as binary_body
from .body import form, multipart
from .body import json as json_body
from .body import text as text_body
from .paging import after_item, cursor, link, next_url, offset, page
from .paging.base import PagingKind
from .webhook import hmac, ip_ranges, standard_webhooks, token_header
from .webhook.base import WebhookKind

BODIES: dict[str, BodyKind] = {
    k.name: k for k in (json_body.KIND, form.KIND, multipart.KIND, binary_body.KIND, text_body.KIND)
}
ANSWERS: dict[str, AnswerKind] = {k.name: k for k in (json_answer.KIND, empty.KIND, text.KIND, binary.KIND)}
AUTH: dict[str, AuthKind] = {
    k.name: k for k in (bearer.KIND, basic.KIND, api_key.KIND, oauth2.KIND, oauth2_code.KIND, oauth2_device.KIND)
} | {k.name: k for k in (oauth1.KIND, sigv4.KIND, hmac_body.KIND, jwt_bearer.KIND)}  # the signing kinds

WEBHOOKS: dict[str, WebhookKind] = {
    k.name: k for k in (hmac.KIND, token_header.KIND, standard_webhooks.KIND, ip_ranges.KIND)
}

PAGING: dict[str, PagingKind] = {
    k.name: k for k in (cursor.KIND, after_item.KIND, offset.KIND, page.KIND, next_url.KIND, link.KIND)
}

DEFAULT_ANSWER = "json"

__all__ = ["ANSWERS", "AUTH", "BODIES", "DEFAULT_ANSWER", "PAGING", "WEBHOOKS", "AnswerKind", "AuthKind", "BodyKind", "PagingKind", "WebhookKind"]
