"""Credential checks as the spec declares them: bearer, basic, API key, and tokens this server issued."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping

from ..ir import AuthKind, AuthScheme, Method, Provider
from .state import ServerState


def _split(value: str, scheme: str) -> str | None:
    """The credential after an auth scheme word ('Bearer abc' -> 'abc'); None when malformed."""
    word, _, rest = value.strip().partition(" ")
    rest = rest.strip()
    if word.lower() != scheme.lower() or not rest or " " in rest:
        return None
    return rest


class AuthChecker:
    """Answers None for accepted credentials, else the reason they were refused.

    Without `credentials`, any well-formed non-empty credential passes; with them, values given there
    (keyed by the spec's input names) must match exactly. OAuth schemes accept only unexpired tokens this
    server issued.
    """

    def __init__(self, provider: Provider, state: ServerState, credentials: Mapping[str, str]) -> None:
        self._schemes = {s.name: s for s in provider.schemes}
        self._state = state
        self._credentials = dict(credentials)

    def header_names(self) -> frozenset[str]:
        """Lower-case names of every header that carries credentials (masked in logs)."""
        names = {"authorization", "proxy-authorization", "cookie"}
        names.update(s.header.lower() for s in self._schemes.values() if s.header)
        return frozenset(names)

    def check(self, method: Method, headers: Mapping[str, str]) -> str | None:
        first: str | None = None
        for alternative in method.auth:
            reasons = [self._scheme(self._schemes[name], headers) for name in alternative]
            failed = next((r for r in reasons if r is not None), None)
            if failed is None:
                return None
            first = first or failed
        return first

    def _expect(self, input_name: str, value: str) -> bool:
        wanted = self._credentials.get(input_name)
        return wanted is None or wanted == value

    def _scheme(self, scheme: AuthScheme, headers: Mapping[str, str]) -> str | None:
        if scheme.kind is AuthKind.API_KEY:
            return self._api_key(scheme, headers)
        header = headers.get("authorization")
        if header is None:
            return "Missing credentials: no Authorization header"
        if scheme.kind is AuthKind.BASIC:
            return self._basic(scheme, header)
        token = _split(header, "Bearer")
        if token is None:
            return "Malformed Authorization header: expected 'Bearer <token>'"
        if scheme.kind is AuthKind.BEARER:
            return None if self._expect(scheme.inputs[0].name, token) else "Invalid token"
        state = self._state.token_state(token)
        if state == "valid":
            return None
        return "Token expired" if state == "expired" else "Invalid token"

    def _basic(self, scheme: AuthScheme, header: str) -> str | None:
        encoded = _split(header, "Basic")
        malformed = "Malformed Authorization header: expected 'Basic base64(user:password)'"
        if encoded is None:
            return malformed
        try:
            decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return malformed
        user, colon, password = decoded.partition(":")
        if not colon or not user:
            return malformed
        ok = self._expect(scheme.inputs[0].name, user) and self._expect(scheme.inputs[1].name, password)
        return None if ok else "Invalid user name or password"

    def _api_key(self, scheme: AuthScheme, headers: Mapping[str, str]) -> str | None:
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
        return None if self._expect(scheme.inputs[0].name, key) else "Invalid API key"

    def token_request(self, method: Method, values: Mapping[str, object]) -> str | None:
        """Checks the credentials a token method receives in its body against `credentials`, if given."""
        for param in method.parameters:
            wanted = self._credentials.get(param.py_name)
            if wanted is not None and not param.is_const and values.get(param.py_name) != wanted:
                return "Invalid client credentials"
        return None
