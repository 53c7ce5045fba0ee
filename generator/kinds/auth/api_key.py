"""An API key in a header of the provider's choosing, optionally after a fixed prefix (`Token <key>`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ...http_syntax import check_prefix
from ...problems import Reporter
from ..base import AuthKind, Expect, TokenState

if TYPE_CHECKING:
    from ...ir import AuthScheme, Provider


class ApiKey(AuthKind):
    name = "api_key"
    roles = ("key",)
    secret_roles = frozenset({"key"})

    def check(self, report: Reporter, name: str, scheme: Mapping[str, Any], data: Mapping[str, Any]) -> None:
        # The prefix goes into the header, before the key.
        check_prefix(report, scheme.get("prefix", ""), ("auth", "schemes", name, "prefix"))

    def header(self, scheme: AuthScheme) -> str:
        return scheme.header or "Authorization"

    def openapi(self, provider: Provider, scheme: AuthScheme, description: str) -> dict[str, Any]:
        if scheme.prefix:
            description += f" Sent as `{scheme.prefix}<key>`."
        return {"type": "apiKey", "in": "header", "name": scheme.header, "description": description}

    def verify(
        self, scheme: AuthScheme, headers: Mapping[str, str], expect: Expect, token_state: TokenState
    ) -> str | None:
        name = scheme.header or ""
        value = headers.get(name.lower())
        if value is None:
            return f"Missing credentials: no {name} header"
        prefix = scheme.prefix
        if prefix and not value.lower().startswith(prefix.lower()):
            return f"Malformed {name} header: expected '{prefix}<key>'"
        key = value[len(prefix):].strip()
        if not key:
            return f"Malformed {name} header: empty key"
        return None if expect(scheme.inputs[0].name, key) else "Invalid API key"


KIND = ApiKey()
