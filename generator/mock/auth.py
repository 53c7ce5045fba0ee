"""Credential checks as the spec declares them, each by its auth kind (`generator/kinds/auth`)."""

from __future__ import annotations

from collections.abc import Mapping

from ..ir import AuthScheme, Method, Provider
from ..kinds import AUTH
from .state import ServerState


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
        names.update(AUTH[s.kind].header(s).lower() for s in self._schemes.values())
        return frozenset(names)

    def check(self, method: Method, headers: Mapping[str, str],
              placed: Mapping[str, str | None] | None = None) -> str | None:
        """`placed`: the credentials of schemes outside the headers, by scheme name (mock/routes.py)."""
        first: str | None = None
        for alternative in method.auth:
            reasons = [self._scheme(self._schemes[name], headers, placed or {}) for name in alternative]
            failed = next((r for r in reasons if r is not None), None)
            if failed is None:
                return None
            first = first or failed
        return first

    def _expect(self, input_name: str, value: str) -> bool:
        wanted = self._credentials.get(input_name)
        return wanted is None or wanted == value

    def _scheme(self, scheme: AuthScheme, headers: Mapping[str, str],
                placed: Mapping[str, str | None]) -> str | None:
        if scheme.wire is not None:  # a key in the query, the path or the body
            return AUTH[scheme.kind].verify_placed(scheme, placed.get(scheme.name), self._expect)
        return AUTH[scheme.kind].verify(scheme, headers, self._expect, self._state.token_state)

    def schemes(self) -> list[AuthScheme]:
        return list(self._schemes.values())

    def token_request(self, method: Method, values: Mapping[str, object]) -> str | None:
        """Checks the credentials a token method receives in its body against `credentials`, if given."""
        for param in method.parameters:
            wanted = self._credentials.get(param.py_name)
            if wanted is not None and not param.is_const and values.get(param.py_name) != wanted:
                return "Invalid client credentials"
        return None
