"""`sigv4`: AWS Signature Version 4 (S3 and S3-compatible storage, AWS APIs), from an access key, a secret
key and an optional session token; the region and service come from the spec.

The client signs with botocore (`SigV4Auth`, `S3SigV4Auth` for service `s3`), the package extra `sigv4`.
The contract server recomputes the signature with botocore over the request as received: the headers the
client listed in `SignedHeaders` with their received values, the path, the query and the body's bytes.
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import re
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ..base import Known, Received, TokenState
from .signed import TOLERANCE, SigningKind

if TYPE_CHECKING:
    from ...ir import AuthScheme, Provider

_AUTHORIZATION = re.compile(
    r"AWS4-HMAC-SHA256 Credential=(?P<key>[^/,\s]+)/(?P<date>\d{8})/(?P<region>[^/,\s]+)/(?P<service>[^/,\s]+)"
    r"/aws4_request,\s*SignedHeaders=(?P<headers>[a-z0-9;-]+),\s*Signature=(?P<signature>[0-9a-f]{64})$"
)


def _epoch(stamp: str) -> float | None:
    try:
        return calendar.timegm(time.strptime(stamp, "%Y%m%dT%H%M%SZ"))
    except ValueError:
        return None


class SigV4(SigningKind):
    name = "sigv4"
    roles = ("access_key", "secret_key", "session_token")
    secret_roles = frozenset({"secret_key", "session_token"})
    optional_roles = frozenset({"session_token"})
    extra = "sigv4"
    library = "[botocore](https://github.com/boto/botocore)"

    def options(self, scheme: Mapping[str, Any]) -> dict[str, Any]:
        return {**self.roles_of(scheme), "region": scheme["region"], "service": scheme["service"]}

    def openapi(self, provider: Provider, scheme: AuthScheme, description: str) -> dict[str, Any]:
        o = scheme.options
        description += (f" AWS Signature Version 4 (region `{o['region']}`, service `{o['service']}`): "
                        "`Authorization: AWS4-HMAC-SHA256 ...` with `X-Amz-Date`.")
        return {"type": "apiKey", "in": "header", "name": "Authorization", "description": description,
                "x-opi-signature": {"kind": "sigv4", "region": o["region"], "service": o["service"]}}

    def wording(self, scheme: AuthScheme, code: Callable[[str], str]) -> str:
        o = scheme.options
        token = " and `X-Amz-Security-Token` (with a session token)" if "session_token" in o["roles"] else ""
        return (f"**AWS Signature Version 4** ({code(scheme.name)}, region {code(o['region'])}, service "
                f"{code(o['service'])}): every request carries `Authorization: AWS4-HMAC-SHA256 ...`, `X-Amz-Date`"
                f"{token}. The signature covers the method, path, query, the headers sent and the SHA-256 of "
                "the exact body bytes; it is computed by botocore, AWS's own signer. Needs "
                "`pip install 'opi-clients[sigv4]'`.")

    def verify_request(self, scheme: AuthScheme, request: Received, known: Known, token_state: TokenState
                       ) -> str | None:
        header = request.headers.get("authorization")
        if header is None:
            return "Missing credentials: no Authorization header"
        found = _AUTHORIZATION.match(header.strip())
        if found is None:
            return "Malformed Authorization header: expected 'AWS4-HMAC-SHA256 Credential=..., ...'"
        o = scheme.options
        stamp = request.headers.get("x-amz-date", "")
        when = _epoch(stamp)
        if when is None or abs(when - time.time()) > TOLERANCE or stamp[:8] != found["date"]:
            return "Missing or stale X-Amz-Date header"
        if (found["region"], found["service"]) != (o["region"], o["service"]):
            return "Credential scope names another region or service"
        signed = found["headers"].split(";")
        if "host" not in signed or "x-amz-date" not in signed or any(h not in request.headers for h in signed):
            return "SignedHeaders must list host and x-amz-date, and only headers sent"
        names = dict(zip(o["roles"], (i.name for i in scheme.inputs), strict=True))
        key, secret = known(names["access_key"]), known(names["secret_key"])
        if key is not None and not hmac.compare_digest(key.encode(), found["key"].encode()):
            return "Invalid access key"
        token = request.headers.get("x-amz-security-token")
        wanted_token = known(names["session_token"]) if "session_token" in names else None
        if wanted_token is not None and (token is None or "x-amz-security-token" not in signed
                                         or not hmac.compare_digest(token.encode(), wanted_token.encode())):
            return "Invalid or unsigned session token"
        declared = request.headers.get("x-amz-content-sha256")  # S3: the signed payload hash is this header
        if declared is not None and declared != hashlib.sha256(request.body).hexdigest():
            return "X-Amz-Content-SHA256 does not match the body"
        if secret is None:
            return None  # the server was given no secret: any well-formed signature passes
        wanted = self._signature(scheme, request, found["key"], secret, token, signed, stamp)
        return None if hmac.compare_digest(wanted.encode(), found["signature"].encode()) else "Invalid signature"

    @staticmethod
    def _signature(scheme: AuthScheme, request: Received, key: str, secret: str, token: str | None,
                   signed: list[str], stamp: str) -> str:
        from botocore.auth import S3SigV4Auth, SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials

        o = scheme.options
        kind = S3SigV4Auth if o["service"] == "s3" else SigV4Auth
        auth = kind(Credentials(key, secret, token), o["service"], o["region"])
        aws = AWSRequest(method=request.method, url=request.url,
                         headers={h: request.headers[h] for h in signed}, data=request.body)
        aws.context["timestamp"] = stamp
        canonical = auth.canonical_request(aws)
        result: str = auth.signature(auth.string_to_sign(aws, canonical), aws)
        return result


KIND = SigV4()
