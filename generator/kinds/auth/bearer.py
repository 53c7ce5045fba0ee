"""A bearer token the user supplies: `Authorization: Bearer <token>`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..base import AuthKind, Expect, TokenState, split_credential

if TYPE_CHECKING:
    from ...ir import AuthScheme, Provider

MISSING = "Missing credentials: no Authorization header"
MALFORMED = "Malformed Authorization header: expected 'Bearer <token>'"


def bearer_token(headers: Mapping[str, str]) -> tuple[str | None, str | None]:
    """(token, None), or (None, why the Authorization header is refused)."""
    header = headers.get("authorization")
    if header is None:
        return None, MISSING
    token = split_credential(header, "Bearer")
    return (token, None) if token is not None else (None, MALFORMED)


class Bearer(AuthKind):
    name = "bearer"
    roles = ("token",)
    secret_roles = frozenset({"token"})

    def openapi(self, provider: Provider, scheme: AuthScheme, description: str) -> dict[str, Any]:
        return {"type": "http", "scheme": "bearer", "description": description}

    def verify(
        self, scheme: AuthScheme, headers: Mapping[str, str], expect: Expect, token_state: TokenState
    ) -> str | None:
        token, refused = bearer_token(headers)
        if token is None:
            return refused
        return None if expect(scheme.inputs[0].name, token) else "Invalid token"


KIND = Bearer()


def issued_token(headers: Mapping[str, str], token_state: TokenState) -> str | None:
    """The check of a bearer token that the contract server itself issued (an OAuth kind's tokens)."""
    token, refused = bearer_token(headers)
    if token is None:
        return refused
    state = token_state(token)
    if state == "valid":
        return None
    return "Token expired" if state == "expired" else "Invalid token"
