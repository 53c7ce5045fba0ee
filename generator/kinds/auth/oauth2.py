"""OAuth 2 tokens issued by one of the provider's own methods (client credentials, password grant).

The client fetches a token with the token method, caches it until shortly before it expires and fetches
a new one once when the provider rejects it; the contract server accepts only tokens it issued.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ...problems import JsonPath, Reporter
from ..base import AuthKind, Expect, TokenState
from .bearer import issued_token

if TYPE_CHECKING:
    from ...ir import AuthScheme, Provider

# The token method's constant `grant_type` -> OpenAPI flow names.
FLOWS = {"client_credentials": "clientCredentials", "password": "password"}


class OAuth2(AuthKind):
    name = "oauth2"
    roles = ("token",)
    secret_roles = frozenset({"token"})
    issues_tokens = True

    def check(self, report: Reporter, name: str, scheme: Mapping[str, Any], data: Mapping[str, Any]) -> None:
        # The client calls the token method for a token: it must exist and must not need this scheme.
        token_method = {m["name"]: m for m in data["methods"]}.get(scheme["token_method"])
        at: JsonPath = ("auth", "schemes", name, "token_method")
        if token_method is None:
            report.add(at, f"unknown method '{scheme['token_method']}'")
            return
        needs = token_method.get("auth", data["auth"]["require"])
        if needs != "none" and any(name in alternative for alternative in needs):
            report.add(
                at,
                f"token method '{token_method['name']}' cannot itself need scheme '{name}' "
                "(give it 'auth: none' or another scheme)",
            )

    def openapi(self, provider: Provider, scheme: AuthScheme, description: str) -> dict[str, Any]:
        method = next((m for m in provider.methods if m.name == scheme.token_method), None)
        base = provider.default_environment.url
        if method is None:
            flow = {"clientCredentials": {"tokenUrl": base, "scopes": {}}}
            return {"type": "oauth2", "description": description, "flows": flow}
        grant = next((p.const for p in method.parameters if p.wire == "grant_type" and p.is_const), None)
        description += f" Issued by {method.name} (`{method.http_method} {method.path}`)."
        flow = {FLOWS.get(str(grant), "clientCredentials"): {"tokenUrl": base + method.path, "scopes": {}}}
        return {"type": "oauth2", "description": description, "flows": flow}

    def verify(
        self, scheme: AuthScheme, headers: Mapping[str, str], expect: Expect, token_state: TokenState
    ) -> str | None:
        return issued_token(headers, token_state)


KIND = OAuth2()
