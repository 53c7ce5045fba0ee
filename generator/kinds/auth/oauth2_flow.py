"""What the OAuth 2.0 user flows (`oauth2_code`, `oauth2_device`) share.

The user logs in once (`opi <provider> login`, or the application's own login) and the client is given the
access and refresh tokens; it sends the access token as a bearer token, refreshes it with the refresh token
before it expires and once on a 401, and keeps a rotated refresh token. The endpoints are data: an
absolute URL, or a path relative to the environment's base URL.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ...ir import UserFlow
from ..base import AuthKind, Expect, TokenState
from .bearer import issued_token

if TYPE_CHECKING:
    from ...ir import AuthScheme, Input, Provider

ROLES = ("token", "refresh_token", "client_id", "client_secret")


def absolute(provider: Provider, url: str) -> str:
    """A flow URL as OpenAPI and the docs show it: a path joined to the default environment's URL."""
    return url if "://" in url else provider.default_environment.url + url


class UserFlowKind(AuthKind):
    roles = ROLES
    secret_roles = frozenset({"token", "refresh_token", "client_secret"})
    grant: str
    refresh_field = "refresh_token"

    def flow(self, scheme: Mapping[str, Any], inputs: tuple[Input, ...]) -> UserFlow | None:
        by_role = dict(zip([r for r in ROLES if r in scheme], inputs, strict=True))
        secret = by_role.get("client_secret")
        return UserFlow(
            grant=self.grant,
            token_url=scheme["token_url"],
            client_id=by_role["client_id"].name,
            authorization_url=scheme.get("authorization_url"),
            device_url=scheme.get("device_authorization_url"),
            client_secret=secret.name if secret else None,
            scopes=tuple((str(k), str(v)) for k, v in (scheme.get("scopes") or {}).items()),
            pkce=bool(scheme.get("pkce", True)),
        )

    def scopes(self, scheme: AuthScheme) -> dict[str, str]:
        return dict(scheme.flow.scopes) if scheme.flow else {}

    def verify(
        self, scheme: AuthScheme, headers: Mapping[str, str], expect: Expect, token_state: TokenState
    ) -> str | None:
        return issued_token(headers, token_state)

    def steps(self, scheme: AuthScheme, alias: str) -> list[str]:
        """The landing page's steps of the flow, in Markdown."""
        raise NotImplementedError

    @staticmethod
    def login(scheme: AuthScheme, alias: str) -> str:
        """The login command, with the client id option."""
        flow = scheme.flow
        option = next((i.option for i in scheme.inputs if flow and i.name == flow.client_id), "client-id")
        return f"opi {alias} login --{option} <id>"
