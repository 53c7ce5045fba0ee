"""Refresh tokens (RFC 6749 section 6): the request, the answer, and what an application is told.

A scheme whose token answer carries a refresh token (a user flow's, or a token method's with
`refresh_field`) is refreshed with it before the access token expires and once on a 401; the answer's new
refresh token replaces the old one (rotation). A refused refresh token raises `LoginRequired`. The request
is three form fields, written here with the standard library so that refreshing needs no extra package
(the `oauth` extra, authlib, is used by `opi <provider> login` only).
"""

from __future__ import annotations

import time
from typing import Any, NamedTuple
from urllib.parse import urlencode

from .auth import token_lifetime
from .errors import LoginRequired, NetworkError, ResponseValidationError
from .request import Prepared
from .response import RawResponse, dig
from .spec import Scheme

FORM = "application/x-www-form-urlencoded"
REFUSED = frozenset({"invalid_grant", "invalid_token", "unauthorized_client", "access_denied"})


class Tokens(NamedTuple):
    """The tokens of one scheme, as `on_tokens=` receives them to persist (their repr hides the values)."""

    scheme: str
    access_token: str
    refresh_token: str | None
    expires_at: float | None  # Unix time the access token expires at (None: unknown)

    def __repr__(self) -> str:
        return f"Tokens(scheme={self.scheme!r}, expires_at={self.expires_at!r})"


def absolute(base_url: str, url: str) -> str:
    """A flow URL; a path is relative to the client's base URL."""
    return url if "://" in url else base_url + url


def request(
    scheme: Scheme, refresh: str, client_id: str | None, client_secret: str | None, path: str
) -> Prepared:
    """The refresh request to send to the token URL (`path` is for the log; the URL is sent apart)."""
    fields = {"grant_type": "refresh_token", "refresh_token": refresh}
    if client_id:
        fields["client_id"] = client_id
    if client_secret:
        fields["client_secret"] = client_secret
    body = urlencode(fields).encode("ascii")
    return Prepared("POST", path, [], {"Content-Type": FORM, "Accept": "application/json"}, body)


def _data(raw: RawResponse) -> Any:
    try:
        return raw.json()
    except ValueError:
        return None


def unanswered(operation: str, detail: str) -> NetworkError:
    """The refresh request got no answer (retried first only when it never left: see BaseClient)."""
    return NetworkError(f"{operation}: no answer from the token URL: {detail}", operation=operation)


def refused(alias: str, operation: str, raw: RawResponse) -> LoginRequired | None:
    """The typed error for a refused refresh token (RFC 6749 5.2), or None for another failure."""
    data = _data(raw)
    code = data.get("error") if isinstance(data, dict) else None
    if raw.status_code in (400, 401) and (code in REFUSED or code is None):
        why = f"the provider refused the refresh token ({code})" if code else "the refresh token was refused"
        return LoginRequired(operation, alias, why)
    return None


def answer(scheme: Scheme, operation: str, raw: RawResponse) -> tuple[str, float | None, str | None]:
    """(access token, lifetime in seconds or None, the new refresh token or None) from a token answer."""
    data = _data(raw)
    token = dig(data, scheme.token_field)
    if not isinstance(token, str) or not token:
        raise ResponseValidationError(
            f"{operation}: the token answer has no {scheme.token_field!r}", operation=operation, raw=raw
        )
    refresh = dig(data, scheme.refresh_field) if scheme.refresh_field else None
    return (
        token,
        token_lifetime(dig(data, scheme.expires_field)),
        refresh if isinstance(refresh, str) else None,
    )


def tokens(scheme: Scheme, token: str, lifetime: float | None, refresh: str | None) -> Tokens:
    expires_at = None if lifetime is None else time.time() + lifetime
    return Tokens(scheme.name, token, refresh, expires_at)
