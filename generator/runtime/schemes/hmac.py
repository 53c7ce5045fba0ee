"""`hmac`: an HMAC of the request body (or of the spec's message around it) keyed with the secret.

The signed message is the spec's template: `{body}` is exactly the body bytes sent, `{timestamp}` the Unix
time in seconds (also sent in the timestamp header), `{method}` the HTTP method, `{path}` the path and
query as sent. The standard library's `hmac` signs; no extra is needed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .. import signing
from .kind import SchemeKind

if TYPE_CHECKING:
    from ..spec import Scheme

_PLACE = re.compile(r"\{([^{}]*)\}")


def name(scheme: Scheme) -> str:
    return scheme.header or "X-Signature"


def value(scheme: Scheme, values: list[str]) -> str:
    raise TypeError("an hmac scheme signs each request; it has no fixed header value")


class HmacSigner(signing.Signer):
    def __init__(self, scheme: Scheme, secret: str) -> None:
        self._scheme = scheme
        self._secret = secret.encode("utf-8")
        self._digest = getattr(hashlib, str(scheme.options.get("algorithm", "sha256")))

    def sign(self, request: signing.Outgoing) -> None:
        options = self._scheme.options
        stamp = str(int(signing.now()))
        parts = urlsplit(request.url)
        places = {
            "timestamp": stamp,
            "method": request.method,
            "path": (parts.path or "/") + (f"?{parts.query}" if parts.query else ""),
        }
        signed = b""
        at = 0
        template = str(options.get("message", "{body}"))
        for found in _PLACE.finditer(template):
            place = found.group(1)
            signed += template[at : found.start()].encode("utf-8")
            signed += request.body if place == "body" else places[place].encode("utf-8")
            at = found.end()
        signed += template[at:].encode("utf-8")
        mac = hmac.new(self._secret, signed, self._digest).digest()
        text = mac.hex() if options.get("encoding", "hex") == "hex" else base64.b64encode(mac).decode("ascii")
        request.headers[name(self._scheme)] = self._scheme.prefix + text
        stamp_header = options.get("timestamp_header")
        if stamp_header:
            request.headers[str(stamp_header)] = stamp

    def __repr__(self) -> str:
        return f"<HmacSigner {self._scheme.name}>"


def signer(scheme: Scheme, values: list[str], base_url: str) -> signing.Signer:
    return HmacSigner(scheme, values[0])


KIND = SchemeKind(name, value, signer=signer)
