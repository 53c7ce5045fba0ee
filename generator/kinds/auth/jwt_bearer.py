"""`jwt_bearer`: service accounts (RFC 7523): the client signs a short JWT assertion with its private key,
exchanges it at the token URL for an access token (`grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`),
and sends that token as `Authorization: Bearer ...` until shortly before it expires (and once more after a
401).

The client signs with PyJWT over cryptography (the package extra `jwt`). The contract server serves the token
URL's path: it verifies the assertion with the configured public key (or the public half of a configured
private key), its issuer, audience and lifetime, and issues tokens that its API methods accept.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from ...problems import Reporter
from ..base import Known, Received, TokenState
from .bearer import bearer_token
from .signed import SigningKind, check_no_files

if TYPE_CHECKING:
    from ...ir import AuthScheme, Provider

GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
MAX_LIFETIME = 3600


def _public_key(configured: str) -> Any:
    """The key assertions are verified with: a PEM public key, or the public half of a PEM private key."""
    from cryptography.hazmat.primitives import serialization

    data = configured.encode("utf-8")
    if b"PRIVATE KEY" in data:
        return serialization.load_pem_private_key(data, password=None).public_key()
    return serialization.load_pem_public_key(data)


class JwtBearer(SigningKind):
    name = "jwt_bearer"
    roles = ("issuer", "private_key")
    secret_roles = frozenset({"private_key"})
    extra = "jwt"
    library = "[PyJWT](https://pyjwt.readthedocs.io/)"

    def check(self, report: Reporter, name: str, scheme: Mapping[str, Any], data: Mapping[str, Any]) -> None:
        check_no_files(report, name, data)
        url = scheme["token_url"]
        parts = urlsplit(url)
        if not url.startswith("/") and (parts.scheme != "https" or not parts.netloc):
            report.add(("auth", "schemes", name, "token_url"),
                       "token_url is a path on the API's base URL (/...) or an absolute https:// URL")

    def options(self, scheme: Mapping[str, Any]) -> dict[str, Any]:
        found: dict[str, Any] = {**self.roles_of(scheme), "token_url": scheme["token_url"],
                                 "algorithm": scheme.get("algorithm", "RS256"),
                                 "lifetime": scheme.get("lifetime", MAX_LIFETIME)}
        for key in ("audience", "scopes"):
            if key in scheme:
                found[key] = scheme[key]
        return found

    def openapi(self, provider: Provider, scheme: AuthScheme, description: str) -> dict[str, Any]:
        o = scheme.options
        url = o["token_url"]
        token_url = provider.default_environment.url + url if url.startswith("/") else url
        description += (f" Service account (RFC 7523): a JWT assertion signed with {o['algorithm']} is "
                        f"exchanged at {token_url} for a bearer token.")
        scopes = {s: s for s in o.get("scopes", ())}
        return {"type": "oauth2", "description": description,
                "flows": {"clientCredentials": {"tokenUrl": token_url, "scopes": scopes}},
                "x-opi-signature": {"kind": "jwt_bearer", "grant_type": GRANT, **{
                    k: v for k, v in o.items() if k not in ("roles", "optional")}}}

    def wording(self, scheme: AuthScheme, code: Callable[[str], str]) -> str:
        o = scheme.options
        issuer, key = (code(i.name) for i in scheme.inputs)
        scopes = f" with the scopes {', '.join(code(s) for s in o['scopes'])}" if o.get("scopes") else ""
        return (f"**Service account, JWT bearer** ({code(scheme.name)}, RFC 7523): the client signs a JWT "
                f"({o['algorithm']}, issuer {issuer}, valid {o['lifetime']} s){scopes} with your private key "
                f"{key}, exchanges it at {code(o['token_url'])} for an access token, and sends that token as "
                "`Authorization: Bearer ...` until shortly before it expires, fetching a new one once when "
                "the API refuses it. The private key never leaves your machine. Needs "
                "`pip install 'opi-clients[jwt]'` (PyJWT with cryptography).")

    def verify_request(self, scheme: AuthScheme, request: Received, known: Known, token_state: TokenState
                       ) -> str | None:
        token, refused = bearer_token(request.headers)
        if token is None:
            return refused
        state = token_state(token)
        return None if state == "valid" else ("Token expired" if state == "expired" else "Invalid token")

    # --- the token endpoint the contract server serves -----------------------------------------------
    def token_path(self, scheme: AuthScheme) -> str:
        return urlsplit(str(scheme.options["token_url"])).path

    def issue(self, scheme: AuthScheme, request: Received, known: Known) -> tuple[int, dict[str, Any]]:
        """(status, JSON answer) for a token request: the token fields are filled by the caller on 200."""
        import jwt

        fields = dict(parse_qsl(request.body.decode("utf-8", "replace")))
        if fields.get("grant_type") != GRANT or not fields.get("assertion"):
            return 400, {"error": "unsupported_grant_type", "error_description": f"expected {GRANT}"}
        o = scheme.options
        issuer_name, key_name = (i.name for i in scheme.inputs)
        url = o["token_url"]
        audience = o.get("audience") or (url if not url.startswith("/") else
                                         f"http://{request.headers.get('host', '')}{url}")
        configured = known(key_name)
        try:
            if configured is None:  # no key given to the server: check the claims, not the signature
                claims = jwt.decode(fields["assertion"], options={"verify_signature": False})
                if claims.get("aud") != audience:
                    raise ValueError("Audience doesn't match")
            else:
                claims = jwt.decode(fields["assertion"], _public_key(configured), algorithms=[o["algorithm"]],
                                    audience=audience, options={"require": ["iss", "aud", "iat", "exp"]})
        except (jwt.PyJWTError, ValueError) as exc:
            return 400, {"error": "invalid_grant", "error_description": f"assertion refused: {exc}"}
        wanted = known(issuer_name)
        if wanted is not None and claims.get("iss") != wanted:
            return 400, {"error": "invalid_grant", "error_description": "unknown issuer"}
        life = claims.get("exp", 0) - claims.get("iat", 0)
        if not 0 < life <= MAX_LIFETIME or claims.get("iat", 0) > time.time() + 60:
            return 400, {"error": "invalid_grant", "error_description": "assertion lifetime out of range"}
        if o.get("scopes") and claims.get("scope") != " ".join(o["scopes"]):
            return 400, {"error": "invalid_scope", "error_description": json.dumps(claims.get("scope"))}
        return 200, {"token_type": "Bearer"}


KIND = JwtBearer()
