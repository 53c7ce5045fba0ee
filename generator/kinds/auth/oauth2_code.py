"""OAuth 2.0 authorization code with PKCE (RFC 6749 4.1, RFC 7636 S256): the user approves in a browser."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ...problems import Reporter
from .oauth2_flow import UserFlowKind, absolute

if TYPE_CHECKING:
    from ...ir import AuthScheme, Provider


class OAuth2Code(UserFlowKind):
    name = "oauth2_code"
    grant = "authorization_code"

    def check(self, report: Reporter, name: str, scheme: Mapping[str, Any], data: Mapping[str, Any]) -> None:
        # Without PKCE, only a client secret proves that the code is exchanged by the client it was issued to.
        if scheme.get("pkce") is False and "client_secret" not in scheme:
            report.add(("auth", "schemes", name, "pkce"),
                       "an authorization-code flow without PKCE needs a 'client_secret' input")

    def openapi(self, provider: Provider, scheme: AuthScheme, description: str) -> dict[str, Any]:
        flow = scheme.flow
        assert flow is not None and flow.authorization_url is not None
        if flow.pkce:
            description += " Authorization code with PKCE: the client sends an S256 `code_challenge`."
        code = {
            "authorizationUrl": absolute(provider, flow.authorization_url),
            "tokenUrl": absolute(provider, flow.token_url),
            "refreshUrl": absolute(provider, flow.token_url),
            "scopes": self.scopes(scheme),
        }
        return {"type": "oauth2", "description": description, "flows": {"authorizationCode": code}}

    def steps(self, scheme: AuthScheme, alias: str) -> list[str]:
        flow = scheme.flow
        assert flow is not None
        pkce = " with a PKCE challenge (S256)" if flow.pkce else ""
        return [
            f"Run `{self.login(scheme, alias)}`. It prints the authorization URL{pkce} and opens it in "
            "a browser where one exists (`--no-browser` or `OPI_NO_BROWSER=1` only print it).",
            "Approve the access in the browser. The provider redirects to `http://127.0.0.1:<port>/callback`, "
            "a port `opi` chose and listens on; `opi` checks that the `state` it sent came back.",
            "`opi` exchanges the code (and the PKCE verifier) for an access token and a refresh token at "
            f"`{flow.token_url}` and keeps them in the OS keyring, or in a file only you can read.",
            f"Later `opi {alias} ...` commands use the stored tokens and refresh them when they expire; "
            f"`opi {alias} logout` removes them.",
        ]


KIND = OAuth2Code()
