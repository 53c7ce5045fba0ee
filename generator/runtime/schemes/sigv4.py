"""`sigv4`: AWS Signature Version 4, signed with botocore's own signer (`botocore.auth.SigV4Auth`;
`S3SigV4Auth` when the service is `s3`, which adds `X-Amz-Content-SHA256` and keeps the path as is).

botocore is AWS's reference implementation and reproduces AWS's published test suite; it comes with the
package extra `sigv4` and is imported when a client with these credentials is created. The canonical request
holds the method, the path, the query, every header the client sends at that point (host, content type, the
spec's headers, `X-Amz-Date`, `X-Amz-Security-Token` with a session token) and the SHA-256 of the exact body.
botocore's DEBUG log of the canonical request (which holds a session token) is dropped while we sign.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from .. import signing
from .kind import SchemeKind, authorization

if TYPE_CHECKING:
    from ..spec import Scheme

_signing = threading.local()


class _Quiet(logging.Filter):
    """Drops botocore's own DEBUG lines (canonical request, string to sign) while this module signs."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not getattr(_signing, "active", False)


_QUIET = _Quiet()


def value(scheme: Scheme, values: list[str]) -> str:
    raise TypeError("a sigv4 scheme signs each request; it has no fixed header value")


class SigV4Signer(signing.Signer):
    def __init__(self, scheme: Scheme, values: list[str]) -> None:
        self._scheme = scheme
        given = dict(zip(scheme.options.get("roles", ()), values, strict=True))
        auth = signing.library("botocore.auth", scheme.name, "sigv4")
        credentials = signing.library("botocore.credentials", scheme.name, "sigv4")
        self._requests = signing.library("botocore.awsrequest", scheme.name, "sigv4")
        service, region = str(scheme.options["service"]), str(scheme.options["region"])
        kind = auth.S3SigV4Auth if service == "s3" else auth.SigV4Auth
        token = given.get("session_token") or None
        self._auth = kind(
            credentials.Credentials(given["access_key"], given["secret_key"], token), service, region
        )
        logger = logging.getLogger("botocore.auth")
        if _QUIET not in logger.filters:
            logger.addFilter(_QUIET)

    def sign(self, request: signing.Outgoing) -> None:
        aws = self._requests.AWSRequest(
            method=request.method, url=request.url, headers=dict(request.headers), data=request.body
        )
        _signing.active = True
        try:
            self._auth.add_auth(aws)
        finally:
            _signing.active = False
        for name in ("Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-SHA256"):
            if name in aws.headers:
                request.headers[name] = aws.headers[name]

    def __repr__(self) -> str:
        return f"<SigV4Signer {self._scheme.name}>"


def signer(scheme: Scheme, values: list[str], base_url: str) -> signing.Signer:
    return SigV4Signer(scheme, values)


KIND = SchemeKind(authorization, value, signer=signer)
