"""`oauth1`: OAuth 1.0a, HMAC-SHA1 (RFC 5849), signed with authlib's RFC 5849 primitives.

authlib comes with the package extra `oauth1` and is imported when a client with these credentials is
created. The signature base string holds the method, the URL, the query and a form body's fields; any other
non-empty body is covered by `oauth_body_hash` (SHA-1 of its exact bytes, as authlib's own client does).
Each try gets a fresh nonce and timestamp.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .. import signing
from .kind import SchemeKind, authorization

if TYPE_CHECKING:
    from ..spec import Scheme

FORM = "application/x-www-form-urlencoded"


def value(scheme: Scheme, values: list[str]) -> str:
    raise TypeError("an oauth1 scheme signs each request; it has no fixed header value")


def nonce() -> str:
    """A fresh nonce per request (tests replace it)."""
    return secrets.token_hex(16)


class OAuth1Signer(signing.Signer):
    def __init__(self, scheme: Scheme, values: list[str]) -> None:
        self._scheme = scheme
        self._values = dict(zip(scheme.options.get("roles", ()), values, strict=True))
        self._signature = signing.library("authlib.oauth1.rfc5849.signature", scheme.name, "oauth1")
        self._parameters = signing.library("authlib.oauth1.rfc5849.parameters", scheme.name, "oauth1")
        self._urls = signing.library("authlib.common.urls", scheme.name, "oauth1")

    def sign(self, request: signing.Outgoing) -> None:
        options = self._scheme.options
        oauth: list[tuple[str, str]] = [
            ("oauth_consumer_key", self._values["consumer_key"]),
            ("oauth_nonce", nonce()),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", str(int(signing.now()))),
        ]
        if self._values.get("token"):
            oauth.append(("oauth_token", self._values["token"]))
        if options.get("version", True):
            oauth.append(("oauth_version", "1.0"))
        content_type = next((v for k, v in request.headers.items() if k.lower() == "content-type"), "")
        form = content_type.split(";")[0].strip().lower() == FORM
        params: list[tuple[str, Any]] = list(self._urls.url_decode(urlsplit(request.url).query))
        if form:
            params += self._urls.url_decode(request.body.decode("utf-8"))
        elif request.body:
            oauth.append(("oauth_body_hash", base64.b64encode(hashlib.sha1(request.body).digest()).decode()))
        base = self._signature.construct_base_string(request.method, request.url, params + oauth)
        signature = self._signature.hmac_sha1_signature(
            base, self._values["consumer_secret"], self._values.get("token_secret", "")
        )
        headers = self._parameters.prepare_headers(
            [*oauth, ("oauth_signature", signature)], {}, realm=options.get("realm")
        )
        request.headers["Authorization"] = headers["Authorization"]

    def __repr__(self) -> str:
        return f"<OAuth1Signer {self._scheme.name}>"


def signer(scheme: Scheme, values: list[str], base_url: str) -> signing.Signer:
    return OAuth1Signer(scheme, values)


KIND = SchemeKind(authorization, value, signer=signer)
