"""Auth: which credentials a method needs, the headers they make, and the cache of fetched tokens.

What differs between scheme kinds (bearer, basic, api_key, oauth2, and the signing kinds of signing.py)
is in schemes/, one module each.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import signing
from .schemes import REGISTRY as KINDS
from .spec import Operation, ProviderSpec, Scheme

if TYPE_CHECKING:
    import asyncio


def now() -> float:
    """The clock token lifetimes are measured with (tests replace it)."""
    return time.monotonic()


class Credentials:
    """The client's credential keywords. Its repr names them without their values."""

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, str | None]) -> None:
        self._values = {k: v for k, v in values.items() if v is not None and v != ""}

    def get(self, name: str) -> str | None:
        return self._values.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self._values

    def values(self) -> list[str]:
        return list(self._values.values())

    def __repr__(self) -> str:
        return f"<Credentials {sorted(self._values)}>"


class TokenState:
    """The current token of a scheme whose kind fetches tokens (oauth2), with the header that carries it.
    Guarded by a thread lock (sync) or an asyncio lock (async)."""

    __slots__ = ("_async_lock", "_scheme", "expires_at", "fetched", "header", "lock", "refresh", "value")

    def __init__(self, scheme: Scheme, given: str | None, refresh: str | None = None) -> None:
        self._scheme = scheme
        self.value = given
        self.refresh = refresh  # the refresh token, when the provider gave one (kept across rotations)
        # Made once per token, not per request.
        self.header = None if given is None else token_header(scheme, given)
        self.expires_at: float | None = None  # None: no known expiry (a token given by the user)
        self.fetched = False
        self.lock = threading.Lock()
        self._async_lock: asyncio.Lock | None = None

    @property
    def async_lock(self) -> asyncio.Lock:
        if self._async_lock is None:
            import asyncio  # here, not at the top: sync-only programs never pay for importing asyncio

            self._async_lock = asyncio.Lock()
        return self._async_lock

    def current(self) -> tuple[str, str] | None:
        """The token's header, unless there is no token or it is about to expire."""
        if self.header is None or (self.expires_at is not None and now() >= self.expires_at):
            return None
        return self.header

    def store(self, token: str, lifetime: float | None, refresh: str | None = None) -> tuple[str, str]:
        """Keep a fetched token (and a new refresh token, when the answer rotated it); its header."""
        self.value = token
        if refresh:
            self.refresh = refresh
        self.header = token_header(self._scheme, token)
        self.fetched = True
        # Refresh a little before the provider's expiry so a request never leaves with a dying token.
        self.expires_at = None if lifetime is None else now() + lifetime - min(60.0, lifetime * 0.1)
        return self.header

    def invalidate(self, sent: str | None = None) -> None:
        """Drop the token; given `sent` (the header value a refused request carried), only when it is still
        the current one, so that parallel refusals of one old token cause one refresh, not one each."""
        if sent is not None and self.header is not None and self.header[1] != sent:
            return
        self.value = None
        self.header = None
        self.expires_at = None

    def __repr__(self) -> str:
        return f"<TokenState {'set' if self.value else 'empty'}>"


class AuthPlan:
    """What one operation sends: fixed credential headers, plus schemes whose token is added at send time."""

    __slots__ = ("headers", "placed", "refreshable", "signed", "token_schemes")

    def __init__(
        self,
        headers: Mapping[str, str],
        token_schemes: tuple[Scheme, ...],
        refreshable: bool,
        signed: tuple[Scheme, ...] = (),
        placed: tuple[tuple[str, str, str], ...] = (),
    ) -> None:
        self.headers = headers
        self.token_schemes = token_schemes  # each has a TokenState in the client
        self.refreshable = refreshable  # a rejected token can be replaced by fetching a new one
        self.signed = signed  # schemes whose signer (signing.py) signs every try
        self.placed = placed  # credentials in the query, path or body: (location, wire, value), placing.py


NO_AUTH = AuthPlan({}, (), False)  # what goes to a URL the spec does not name as the provider's


def token_arguments(token_op: Operation[Any], credentials: Credentials) -> dict[str, str]:
    """The token method's keywords, filled from the client's credentials of the same names."""
    return {p.name: value for p in token_op.params if not p.is_const and (value := credentials.get(p.name))}


def _can_fetch(spec: ProviderSpec, scheme: Scheme, credentials: Credentials) -> bool:
    if scheme.flow is not None:  # a user flow's tokens are refreshed with its refresh token
        return refresh_input(scheme) in credentials and scheme.flow.client_id in credentials
    token_op = spec.operations.get(scheme.token_method or "")
    if token_op is None:
        return False
    if any(p.required and not p.is_const and p.name not in credentials for p in token_op.params):
        return False
    return plan(spec, token_op, credentials, nested=True) is not None


def _fetch_inputs(spec: ProviderSpec, scheme: Scheme) -> list[str]:
    """The keywords that let the client fetch a scheme's token itself."""
    if scheme.flow is not None:
        return [refresh_input(scheme) or "", scheme.flow.client_id]
    token_op = spec.operations.get(scheme.token_method or "")
    if token_op is None:
        return list(scheme.inputs)
    names = [p.name for p in token_op.params if p.required and not p.is_const]
    for alternative in token_op.auth[:1]:
        for name in alternative:
            names += [i for i in spec.schemes[name].inputs if i not in names]
    return names


def alternatives(spec: ProviderSpec, op: Operation[Any]) -> list[list[str]]:
    """Each set of client keywords that satisfies the operation's auth, for a missing-credentials error."""
    out: list[list[str]] = []
    for alternative in op.auth:
        combos: list[list[str]] = [[]]
        for name in alternative:
            scheme = spec.schemes[name]
            choices = [list(scheme.inputs)]
            if KINDS[scheme.kind].fetches_tokens:
                choices.append(_fetch_inputs(spec, scheme))
            combos = [combo + [n for n in choice if n not in combo] for combo in combos for choice in choices]
        out += [combo for combo in combos if combo not in out]
    return out


def plan(
    spec: ProviderSpec, op: Operation[Any], credentials: Credentials, *, nested: bool = False
) -> AuthPlan | None:
    """The first auth alternative of `op` the credentials satisfy, or None."""
    if not op.auth:
        return AuthPlan({}, (), False)
    for alternative in op.auth:
        headers: dict[str, str] = {}
        placed: list[tuple[str, str, str]] = []
        token_schemes: list[Scheme] = []
        signed: list[Scheme] = []
        refreshable = False
        for name in alternative:
            scheme = spec.schemes[name]
            kind = KINDS[scheme.kind]
            values = [credentials.get(i) for i in scheme.inputs]
            if kind.fetches_tokens:
                # The token method itself must not need a fetched token (the spec check forbids it; this
                # guards loops).
                fetchable = not nested and _can_fetch(spec, scheme, credentials)
                if values[0] is None and not fetchable:
                    break
                token_schemes.append(scheme)
                refreshable = refreshable or fetchable
            elif kind.signer is not None:
                if not signing.ready(scheme, values):
                    break
                signed.append(scheme)
            elif any(v is None for v in values):
                break
            else:
                given = [v for v in values if v is not None]
                if scheme.wire is None:
                    headers[kind.header_name(scheme)] = kind.header_value(scheme, given)
                else:  # a key in the query, the path or the body
                    placed.append((scheme.location, scheme.wire, kind.header_value(scheme, given)))
        else:
            return AuthPlan(headers, tuple(token_schemes), refreshable, tuple(signed), tuple(placed))
    return None


def token_header(scheme: Scheme, token: str) -> tuple[str, str]:
    """The header a fetched (or given) token of `scheme` is sent in."""
    kind = KINDS[scheme.kind]
    return kind.header_name(scheme), kind.header_value(scheme, [token])


def token_lifetime(value: object) -> float | None:
    """A token answer's lifetime field as seconds, or None when absent or unusable."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if seconds > 0 else None


def refresh_input(scheme: Scheme) -> str | None:
    """The client keyword that gives a user flow's refresh token (its second input)."""
    return scheme.inputs[1] if scheme.flow is not None and len(scheme.inputs) > 1 else None
