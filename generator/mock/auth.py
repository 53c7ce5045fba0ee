"""Credential checks as the spec declares them, each by its auth kind (`generator/kinds/auth`)."""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping
from urllib.parse import urlsplit

from ..ir import AuthScheme, Method, Provider
from ..kinds import AUTH
from ..kinds.auth.signed import SigningKind
from ..kinds.base import Received
from .answers import json_answer
from .state import Answer, ServerState


def token_answer(scheme: AuthScheme, status: int, body: dict[str, object], state: ServerState) -> Answer:
    """A signing kind's token endpoint answer; a success carries a new token the API methods accept."""
    if status == 200:
        body = {**body, scheme.token_field: state.issue_token(), scheme.expires_field: max(1, math.ceil(state.token_ttl))}
    return json_answer(status, body)


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
        self._seen: set[str] = set()  # nonces of signed requests already accepted
        self._seen_lock = threading.Lock()

    def header_names(self) -> frozenset[str]:
        """Lower-case names of every header that carries credentials (masked in logs)."""
        names = {"authorization", "proxy-authorization", "cookie"}
        names.update(AUTH[s.kind].header(s).lower() for s in self._schemes.values())
        return frozenset(names | {"x-amz-security-token"})

    def first_use(self, key: str) -> bool:
        with self._seen_lock:
            fresh = key not in self._seen
            self._seen.add(key)
        return fresh

    def check(self, method: Method, request: Received,
              placed: Mapping[str, str | None] | None = None) -> str | None:
        """None when the request's credentials satisfy one of the method's auth alternatives, else why not.
        Signing kinds recompute their signature over the request as received; `placed`: the credentials of
        schemes outside the headers, by scheme name (mock/routes.py)."""
        request = Received(request.method, request.url, request.headers, request.body, self.first_use)
        first: str | None = None
        for alternative in method.auth:
            reasons = [self._scheme(self._schemes[name], request, placed or {}) for name in alternative]
            failed = next((r for r in reasons if r is not None), None)
            if failed is None:
                return None
            first = first or failed
        return first

    def _scheme(self, scheme: AuthScheme, request: Received, placed: Mapping[str, str | None]) -> str | None:
        if scheme.wire is not None:  # a key in the query, the path or the body
            return AUTH[scheme.kind].verify_placed(scheme, placed.get(scheme.name), self._expect)
        return AUTH[scheme.kind].verify_request(scheme, request, self._credentials.get, self._state.token_state)

    def token_endpoint(self, request: Received) -> tuple[AuthScheme, int, dict[str, object]] | None:
        """A signing kind's own token endpoint (a JWT-bearer token URL): the scheme and its answer."""
        for scheme in self._schemes.values():
            kind = AUTH[scheme.kind]
            if isinstance(kind, SigningKind) and kind.token_path(scheme) == urlsplit(request.url).path:
                status, body = kind.issue(scheme, request, self._credentials.get)
                return scheme, status, body
        return None

    def _expect(self, input_name: str, value: str) -> bool:
        wanted = self._credentials.get(input_name)
        return wanted is None or wanted == value

    def schemes(self) -> list[AuthScheme]:
        return list(self._schemes.values())

    def token_request(self, method: Method, values: Mapping[str, object]) -> str | None:
        """Checks the credentials a token method receives in its body against `credentials`, if given."""
        for param in method.parameters:
            wanted = self._credentials.get(param.py_name)
            if wanted is not None and not param.is_const and values.get(param.py_name) != wanted:
                return "Invalid client credentials"
        return None
