"""The authorization server of the spec's OAuth 2.0 user flows (`oauth2_code`, `oauth2_device`).

- The authorization URL approves at once and redirects to the client's `redirect_uri` with a one-time code
  and the `state` it was given (PKCE: the S256 `code_challenge` is required and remembered).
- The device authorization URL hands out a device code and a user code; the token URL answers its polls
  with `slow_down` `slow_downs` times, then `authorization_pending` `pending_polls` times, then the tokens.
- The token URL exchanges a code (checking redirect URI, client id and the PKCE verifier), a device code,
  or a refresh token; every refresh rotates the refresh token, and a used or unknown one is refused with
  `invalid_grant` (RFC 6749 5.2).

Access tokens are issued through the server state, so the methods accept them like any issued token, with
its lifetime (`token_ttl`, short in tests). Errors are RFC 6749's JSON: `{"error": ..., "error_description": ...}`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlparse

from ..ir import AuthScheme, Provider
from .state import Answer, ServerState
from .validation import Incoming, parse_form

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


def _json(status: int, body: object, *extra: tuple[str, str]) -> Answer:
    headers = (("content-type", "application/json"), ("cache-control", "no-store"), *extra)
    return Answer(status, json.dumps(body).encode("utf-8"), headers)


def _refuse(code: str, why: str, status: int = 400) -> Answer:
    return _json(status, {"error": code, "error_description": why})


def s256(verifier: str) -> str:
    """RFC 7636's S256 code challenge of a verifier."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _path(url: str) -> str:
    return urlparse(url).path if "://" in url else url.split("?")[0]


@dataclass
class _Grant:
    scheme: AuthScheme
    client_id: str
    redirect_uri: str = ""
    challenge: str | None = None
    polls: int = 0
    slow_downs: int = 0
    expires_at: float = 0.0


@dataclass
class OAuthServer:
    """The user flows' endpoints; tests tune `pending_polls`, `slow_downs`, `interval` and `device_ttl`."""

    provider: Provider
    state: ServerState
    credentials: Mapping[str, str]
    pending_polls: int = 2  # device flow: `authorization_pending` answers before the tokens
    slow_downs: int = 0  # device flow: `slow_down` answers before those
    interval: int = 0  # device flow: seconds between polls the server asks for
    device_ttl: int = 600  # device flow: seconds a device code lives
    _codes: dict[str, _Grant] = field(default_factory=dict)
    _devices: dict[str, _Grant] = field(default_factory=dict)
    _refresh: dict[str, _Grant] = field(default_factory=dict)  # live refresh tokens
    _used: set[str] = field(default_factory=set)  # rotated-out refresh tokens and redeemed codes
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._routes: dict[tuple[str, str], tuple[str, AuthScheme]] = {}
        for scheme in self.provider.schemes:
            flow = scheme.flow
            if flow is None:
                continue
            if flow.authorization_url:
                self._routes.setdefault(("GET", _path(flow.authorization_url)), ("authorize", scheme))
            if flow.device_url:
                self._routes.setdefault(("POST", _path(flow.device_url)), ("device", scheme))
            self._routes.setdefault(("POST", _path(flow.token_url)), ("token", scheme))

    def refresh_tokens(self) -> list[str]:
        """Every refresh token handed out (live or rotated out), for tests that scan output for leaks."""
        with self._lock:
            return [*self._refresh, *self._used]

    def seed_refresh(self, scheme_name: str, token: str, client_id: str) -> None:
        """Accept `token` as a live refresh token of the scheme (a test's stored login)."""
        scheme = next(s for s in self.provider.schemes if s.name == scheme_name)
        with self._lock:
            self._refresh[token] = _Grant(scheme, client_id)

    def method_refresh(self, scheme: AuthScheme, incoming: Incoming) -> Answer | None:
        """A token method's refresh grant (an `oauth2` scheme with `refresh_field`), or None for its own
        grant: the refresh token is rotated like a user flow's."""
        form = parse_form(incoming) or {}
        if not scheme.refresh_field or form.get("grant_type") != "refresh_token":
            return None
        return self._refreshing(form)

    def with_refresh(self, scheme: AuthScheme, answer: Answer) -> Answer:
        """A token method's answer with a new refresh token at the scheme's `refresh_field`."""
        if not scheme.refresh_field or answer.status >= 300:
            return answer
        body = json.loads(answer.body)
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._refresh[token] = _Grant(scheme, "")
        body[scheme.refresh_field] = token
        return Answer(answer.status, json.dumps(body).encode("utf-8"), answer.headers)

    def handle(self, incoming: Incoming) -> Answer | None:
        """The answer of a user-flow endpoint, or None when the request is for another path."""
        route = self._routes.get((incoming.verb, incoming.path))
        if route is None:
            return None
        what, scheme = route
        if what == "authorize":
            return self._authorize(scheme, {k: v[0] for k, v in incoming.query.items() if v})
        form = parse_form(incoming) or {}
        if what == "device":
            return self._device(scheme, form, incoming.headers.get("host", ""))
        return self._token(scheme, form)

    # --- the endpoints ---------------------------------------------------------------------------------
    def _client_refused(self, scheme: AuthScheme, form: Mapping[str, str]) -> Answer | None:
        flow = scheme.flow
        if flow is None:  # a token method's refresh: its own auth was checked as for any call
            return None
        wanted = self.credentials.get(flow.client_id)
        if not form.get("client_id") or (wanted is not None and form["client_id"] != wanted):
            return _refuse("invalid_client", "unknown client_id", 401)
        secret = self.credentials.get(flow.client_secret or "")
        if secret is not None and form.get("client_secret") != secret:
            return _refuse("invalid_client", "wrong client_secret", 401)
        return None

    def _authorize(self, scheme: AuthScheme, query: dict[str, str]) -> Answer:
        flow = scheme.flow
        assert flow is not None
        redirect = query.get("redirect_uri", "")
        host = urlparse(redirect).hostname
        if query.get("response_type") != "code":
            return _refuse("unsupported_response_type", "response_type must be 'code'")
        if host not in ("127.0.0.1", "localhost", "::1"):
            return _refuse("invalid_request", "redirect_uri must be a loopback address")
        refused = self._client_refused(scheme, {"client_id": query.get("client_id", ""),
                                                "client_secret": self.credentials.get(flow.client_secret or "", "")})
        if refused is not None:
            return refused
        challenge = query.get("code_challenge")
        if flow.pkce and (not challenge or query.get("code_challenge_method") != "S256"):
            return _refuse("invalid_request", "a code_challenge with code_challenge_method S256 is required")
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = _Grant(scheme, query["client_id"], redirect, challenge, expires_at=time.monotonic() + 600)
        answer = {"code": code, **({"state": query["state"]} if "state" in query else {})}
        sep = "&" if "?" in redirect else "?"
        return Answer(302, b"", (("location", f"{redirect}{sep}{urlencode(answer)}"),))

    def _device(self, scheme: AuthScheme, form: Mapping[str, str], host: str) -> Answer:
        refused = self._client_refused(scheme, form)
        if refused is not None:
            return refused
        device_code = secrets.token_urlsafe(24)
        user_code = "-".join(secrets.token_hex(2).upper() for _ in range(2))
        with self._lock:
            self._devices[device_code] = _Grant(
                scheme, form["client_id"], polls=self.pending_polls, slow_downs=self.slow_downs,
                expires_at=time.monotonic() + self.device_ttl,
            )
        verification = f"http://{host}/device"
        return _json(200, {
            "device_code": device_code, "user_code": user_code, "verification_uri": verification,
            "verification_uri_complete": f"{verification}?user_code={user_code}",
            "expires_in": self.device_ttl, "interval": self.interval,
        })

    def _token(self, scheme: AuthScheme, form: Mapping[str, str]) -> Answer:
        grant = form.get("grant_type")
        if grant == "authorization_code":
            return self._code(scheme, form)
        if grant == DEVICE_GRANT:
            return self._poll(form)
        if grant == "refresh_token":
            return self._refreshing(form)
        return _refuse("unsupported_grant_type", f"grant_type {grant!r} is not supported")

    def _code(self, scheme: AuthScheme, form: Mapping[str, str]) -> Answer:
        with self._lock:
            found = self._codes.pop(form.get("code", ""), None)
            self._used.add(form.get("code", ""))
        if found is None or found.expires_at < time.monotonic():
            return _refuse("invalid_grant", "unknown, used or expired code")
        refused = self._client_refused(found.scheme, form)
        if refused is not None:
            return refused
        if form.get("redirect_uri") != found.redirect_uri or form.get("client_id") != found.client_id:
            return _refuse("invalid_grant", "redirect_uri or client_id differ from the authorization request")
        if found.challenge is not None and s256(form.get("code_verifier", "")) != found.challenge:
            return _refuse("invalid_grant", "the code_verifier does not match the code_challenge")
        return self._tokens(found)

    def _poll(self, form: Mapping[str, str]) -> Answer:
        code = form.get("device_code", "")
        with self._lock:
            found = self._devices.get(code)
            if found is None:
                return _refuse("invalid_grant", "unknown device code")
            if found.expires_at < time.monotonic():
                return _refuse("expired_token", "the device code expired")
            if form.get("client_id") != found.client_id:
                return _refuse("invalid_client", "another client's device code", 401)
            if found.slow_downs > 0:
                found.slow_downs -= 1
                return _refuse("slow_down", "polling too fast")
            if found.polls > 0:
                found.polls -= 1
                return _refuse("authorization_pending", "the user has not approved yet")
            del self._devices[code]
        return self._tokens(found)

    def _refreshing(self, form: Mapping[str, str]) -> Answer:
        token = form.get("refresh_token", "")
        with self._lock:
            found = self._refresh.get(token)
        if found is None:
            return _refuse("invalid_grant", "unknown, revoked or already used refresh token")
        refused = self._client_refused(found.scheme, form)
        if refused is not None:
            return refused
        with self._lock:
            if self._refresh.pop(token, None) is None:  # another request rotated it meanwhile
                return _refuse("invalid_grant", "already used refresh token")
            self._used.add(token)
        return self._tokens(found)

    def _tokens(self, grant: _Grant) -> Answer:
        scheme = grant.scheme
        access = self.state.issue_token()
        refresh = secrets.token_urlsafe(32)
        with self._lock:
            self._refresh[refresh] = grant
        body: dict[str, object] = {
            scheme.token_field: access,
            "token_type": "Bearer",
            scheme.expires_field: max(1, round(self.state.token_ttl)),
            scheme.refresh_field or "refresh_token": refresh,
        }
        return _json(200, body)
