"""`jwt_bearer`: service accounts (RFC 7523). The client signs a JWT assertion with its private key (PyJWT
over cryptography, the package extra `jwt`, imported when a client with these credentials is created),
exchanges it at the spec's token URL for an access token, and sends that as `Authorization: Bearer ...`.

The token is kept until shortly before it expires; one exchange at a time per client (the call loop's LOCK
step), and a 401 answer makes the loop forget it and try once more with a new one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Generator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import httpx

from .. import signing
from ..errors import AuthenticationError, NetworkError, ResponseValidationError
from ..request import Prepared
from ..response import dig
from .bearer import value
from .kind import SchemeKind, authorization

if TYPE_CHECKING:
    import asyncio

    from ..masking import Masker
    from ..spec import Scheme

GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
FORM = "application/x-www-form-urlencoded"


class JwtBearerSigner(signing.Signer):
    refreshable = True

    def __init__(self, scheme: Scheme, values: list[str], base_url: str) -> None:
        self._scheme = scheme
        given = dict(zip(scheme.options.get("roles", ()), values, strict=True))
        self._jwt = signing.library("jwt", scheme.name, "jwt")
        signing.library("cryptography", scheme.name, "jwt")  # PyJWT signs RS256/ES256 with it
        self._issuer, self._key = given["issuer"], given["private_key"]
        url = str(scheme.options["token_url"])
        self._url = base_url + url if url.startswith("/") else url
        self.lock = threading.Lock()
        self._async_lock: asyncio.Lock | None = None
        self._header: str | None = None
        self._expires_at: float | None = None

    @property
    def async_lock(self) -> asyncio.Lock:
        if self._async_lock is None:
            import asyncio

            self._async_lock = asyncio.Lock()
        return self._async_lock

    def _current(self) -> str | None:
        if self._header is None or (self._expires_at is not None and time.monotonic() >= self._expires_at):
            return None
        return self._header

    def invalidate(self) -> None:
        self._header = self._expires_at = None

    def signing(self, request: signing.Outgoing, masker: Masker) -> signing.Steps:
        header = self._current()
        if header is None:
            lock = yield signing.LOCK, self  # one exchange at a time; the others use its token
            try:
                header = self._current() or (yield from self._exchange(request.timeout, masker))
            finally:
                lock.release()
        request.headers["Authorization"] = header

    def _exchange(self, timeout: Any, masker: Masker) -> Generator[tuple[Any, ...], Any, str]:
        options = self._scheme.options
        issued = int(signing.now())
        claims: dict[str, Any] = {
            "iss": self._issuer,
            "sub": self._issuer,
            "aud": options.get("audience") or self._url,
            "iat": issued,
            "exp": issued + int(options.get("lifetime", 3600)),
        }
        if options.get("scopes"):
            claims["scope"] = " ".join(options["scopes"])
        assertion = self._jwt.encode(claims, self._key, algorithm=str(options.get("algorithm", "RS256")))
        masker.add(assertion)
        body = urlencode({"grant_type": GRANT, "assertion": assertion}).encode("ascii")
        prepared = Prepared("POST", "", [], {"Content-Type": FORM, "Accept": "application/json"}, body)
        name = self._scheme.name
        try:
            raw, _ = yield signing.SEND, prepared, self._url, prepared.headers, timeout
        except httpx.TransportError as exc:
            raise NetworkError(
                f"{name}: the token request failed ({type(exc).__name__})", operation=name
            ) from exc
        try:
            data = raw.json()
        except ValueError:
            data = None
        if raw.status_code >= 300:
            why = dig(data, "error_description") or dig(data, "error") or "no reason given"
            raise AuthenticationError(
                masker.mask(f"the token request was refused: {why}"), operation=name, raw=raw
            )
        token = dig(data, self._scheme.token_field)
        if not isinstance(token, str) or not token:
            raise ResponseValidationError(
                f"{name}: the token answer has no {self._scheme.token_field!r}", operation=name, raw=raw
            )
        masker.add(token)
        lifetime = dig(data, self._scheme.expires_field)
        if isinstance(lifetime, int | float) and not isinstance(lifetime, bool) and lifetime > 0:
            self._expires_at = time.monotonic() + lifetime - min(60.0, lifetime * 0.1)
        self._header = value(self._scheme, [token])
        return self._header

    def __repr__(self) -> str:
        return f"<JwtBearerSigner {self._scheme.name} {'set' if self._header else 'empty'}>"


def signer(scheme: Scheme, values: list[str], base_url: str) -> signing.Signer:
    return JwtBearerSigner(scheme, values, base_url)


KIND = SchemeKind(authorization, value, signer=signer)
