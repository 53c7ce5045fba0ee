"""`oauth1`: OAuth 1.0a requests signed with HMAC-SHA1 (RFC 5849), from a consumer key and secret and an
access token and its secret.

The client signs with authlib's RFC 5849 primitives (`authlib.oauth1.rfc5849`: the signature base string,
HMAC-SHA1, the `Authorization: OAuth ...` header), an optional extra of the package. The base string holds
the method, the URL, the query and, for a form body, its fields (RFC 5849 3.4.1.3); any other non-empty body
is covered by `oauth_body_hash` (the SHA-1 of its exact bytes). The contract server rebuilds the base string
from the request as received with the same primitives and compares in constant time; a nonce is accepted
once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from urllib.request import parse_http_list, parse_keqv_list

from ..base import Known, Received, TokenState
from .signed import SigningKind, within

if TYPE_CHECKING:
    from ...ir import AuthScheme, Provider

FORM = "application/x-www-form-urlencoded"


def _oauth_params(header: str) -> dict[str, str] | None:
    from authlib.oauth1.rfc5849.util import unescape

    word, _, rest = header.strip().partition(" ")
    if word.lower() != "oauth":
        return None
    try:
        pairs = parse_keqv_list(parse_http_list(rest))
    except ValueError:
        return None
    return {k: unescape(v) for k, v in pairs.items()}


class OAuth1(SigningKind):
    name = "oauth1"
    roles = ("consumer_key", "consumer_secret", "token", "token_secret")
    secret_roles = frozenset({"consumer_secret", "token_secret"})
    extra = "oauth1"
    library = "[authlib](https://docs.authlib.org/)"

    def options(self, scheme: Mapping[str, Any]) -> dict[str, Any]:
        found = self.roles_of(scheme)
        if "realm" in scheme:
            found["realm"] = scheme["realm"]
        if not scheme.get("version", True):
            found["version"] = False
        return found

    def openapi(self, provider: Provider, scheme: AuthScheme, description: str) -> dict[str, Any]:
        description += (" OAuth 1.0a (RFC 5849): every request carries `Authorization: OAuth ...` with an "
                        "HMAC-SHA1 signature of the method, URL, query and form fields (other bodies: "
                        "`oauth_body_hash`).")
        return {"type": "apiKey", "in": "header", "name": "Authorization", "description": description,
                "x-opi-signature": {"kind": "oauth1", "signature_method": "HMAC-SHA1", **scheme.options}}

    def wording(self, scheme: AuthScheme, code: Callable[[str], str]) -> str:
        return (f"**OAuth 1.0a** ({code(scheme.name)}): every request is signed with HMAC-SHA1 as RFC 5849 says: "
                "the `Authorization: OAuth ...` header carries your consumer key and token, a fresh nonce and "
                "timestamp, and the signature of the method, the URL with its query and, for a form body, its "
                "fields; any other body is covered by `oauth_body_hash` (the SHA-1 of its exact bytes). The "
                "consumer secret and token secret never leave your machine. Needs "
                "`pip install 'opi-clients[oauth1]'` (authlib).")

    def verify_request(self, scheme: AuthScheme, request: Received, known: Known, token_state: TokenState
                       ) -> str | None:
        from authlib.common.urls import url_decode
        from authlib.oauth1.rfc5849.signature import construct_base_string, hmac_sha1_signature

        header = request.headers.get("authorization")
        if header is None:
            return "Missing credentials: no Authorization header"
        oauth = _oauth_params(header)
        needed = ("oauth_consumer_key", "oauth_signature", "oauth_signature_method", "oauth_timestamp",
                  "oauth_nonce")
        if oauth is None or any(k not in oauth for k in needed):
            return "Malformed Authorization header: expected 'OAuth oauth_consumer_key=..., ...'"
        if oauth["oauth_signature_method"] != "HMAC-SHA1":
            return "Unsupported oauth_signature_method"
        if not within(oauth["oauth_timestamp"], time.time()):
            return "Stale oauth_timestamp"
        by_role = dict(zip(scheme.options["roles"], (i.name for i in scheme.inputs), strict=True))
        for role, param in (("consumer_key", "oauth_consumer_key"), ("token", "oauth_token")):
            wanted = known(by_role[role]) if role in by_role else None
            if wanted is not None and oauth.get(param) != wanted:
                return "Invalid consumer key or token"
        form = request.headers.get("content-type", "").split(";")[0].strip().lower() == FORM
        if request.body and not form:
            body_hash = base64.b64encode(hashlib.sha1(request.body).digest()).decode("ascii")
            if not hmac.compare_digest(oauth.get("oauth_body_hash", "").encode(), body_hash.encode()):
                return "The oauth_body_hash does not match the body"
        secrets = [known(by_role[r]) if r in by_role else "" for r in ("consumer_secret", "token_secret")]
        once = request.first_use  # a nonce is spent only by a request that is otherwise accepted
        if None in secrets:  # the server was given no secrets: any well-formed signature passes
            return None if once(oauth["oauth_nonce"] + "/" + oauth["oauth_timestamp"]) else "Repeated oauth_nonce"
        try:
            params = url_decode(urlsplit(request.url).query)
            if form:
                params += url_decode(request.body.decode("utf-8"))
        except ValueError:
            return "Malformed query or form body"
        params += [(k, v) for k, v in oauth.items() if k.startswith("oauth_")]
        base = construct_base_string(request.method, request.url, params)
        wanted = hmac_sha1_signature(base, secrets[0], secrets[1])
        if not hmac.compare_digest(wanted.encode(), oauth["oauth_signature"].encode()):
            return "Invalid signature"
        return None if once(oauth["oauth_nonce"] + "/" + oauth["oauth_timestamp"]) else "Repeated oauth_nonce"


KIND = OAuth1()
