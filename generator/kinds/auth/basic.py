"""HTTP Basic: a user name and a password, `Authorization: Basic base64(user:password)`."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..base import AuthKind, Expect, TokenState, split_credential
from .bearer import MISSING

if TYPE_CHECKING:
    from ...ir import AuthScheme, Provider

MALFORMED = "Malformed Authorization header: expected 'Basic base64(user:password)'"


class Basic(AuthKind):
    name = "basic"
    roles = ("username", "password")
    secret_roles = frozenset({"password"})

    def openapi(self, provider: Provider, scheme: AuthScheme, description: str) -> dict[str, Any]:
        return {"type": "http", "scheme": "basic", "description": description}

    def verify(
        self, scheme: AuthScheme, headers: Mapping[str, str], expect: Expect, token_state: TokenState
    ) -> str | None:
        header = headers.get("authorization")
        if header is None:
            return MISSING
        encoded = split_credential(header, "Basic")
        if encoded is None:
            return MALFORMED
        try:
            decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return MALFORMED
        user, colon, password = decoded.partition(":")
        if not colon or not user:
            return MALFORMED
        ok = expect(scheme.inputs[0].name, user) and expect(scheme.inputs[1].name, password)
        return None if ok else "Invalid user name or password"


KIND = Basic()
