"""`hmac`: an HMAC of the request body (or of a declared message around it) keyed with a shared secret.

The spec declares the algorithm (sha256, sha1, sha512), the encoding (hex, base64), the header that carries
the signature (after an optional prefix), and the signed message as a template of `{body}` (the exact body
bytes), `{timestamp}` (Unix seconds, also sent in `timestamp_header`), `{method}` and `{path}` (path and
query as sent). Signing is the standard library's `hmac`; the contract server compares in constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ...http_syntax import check_name, check_prefix
from ...problems import Reporter
from ..base import Known, Received, TokenState
from .signed import SigningKind, check_no_files, target, within

if TYPE_CHECKING:
    from ...ir import AuthScheme, Provider

PLACES = ("body", "timestamp", "method", "path")
_PLACE = re.compile(r"\{([^{}]*)\}")


def message(template: str, method: str, path: str, stamp: str, body: bytes) -> bytes:
    """The signed bytes: the template with its places filled (the body as its raw bytes)."""
    out = b""
    at = 0
    for found in _PLACE.finditer(template):
        out += template[at:found.start()].encode("utf-8")
        place = found.group(1)
        out += body if place == "body" else {"timestamp": stamp, "method": method, "path": path}[place].encode()
        at = found.end()
    return out + template[at:].encode("utf-8")


def digest(algorithm: str, encoding: str, secret: str, signed: bytes) -> str:
    mac = hmac.new(secret.encode("utf-8"), signed, getattr(hashlib, algorithm)).digest()
    return mac.hex() if encoding == "hex" else base64.b64encode(mac).decode("ascii")


class HmacBody(SigningKind):
    name = "hmac"
    roles = ("secret",)
    secret_roles = frozenset({"secret"})

    def check(self, report: Reporter, name: str, scheme: Mapping[str, Any], data: Mapping[str, Any]) -> None:
        check_no_files(report, name, data)
        at = ("auth", "schemes", name)
        check_name(report, scheme["header"], (*at, "header"), key=False)
        check_prefix(report, scheme.get("prefix", ""), (*at, "prefix"))
        template = scheme.get("message", "{body}")
        places = _PLACE.findall(template)
        for place in places:
            if place not in PLACES:
                report.add((*at, "message"), f"unknown place '{{{place}}}' in the signed message "
                           f"(known: {', '.join('{' + p + '}' for p in PLACES)})")
        if "body" not in places:
            report.add((*at, "message"), "the signed message must hold the {body}")
        if "timestamp" in places and "timestamp_header" not in scheme:
            report.add((*at, "message"), "a message with {timestamp} needs a timestamp_header")
        if "timestamp_header" in scheme:
            check_name(report, scheme["timestamp_header"], (*at, "timestamp_header"), key=False)
            if "timestamp" not in places:
                report.add((*at, "timestamp_header"), "timestamp_header needs {timestamp} in the message",
                           key=True)

    def options(self, scheme: Mapping[str, Any]) -> dict[str, Any]:
        found = {"algorithm": scheme.get("algorithm", "sha256"), "encoding": scheme.get("encoding", "hex"),
                 "message": scheme.get("message", "{body}")}
        if "timestamp_header" in scheme:
            found["timestamp_header"] = scheme["timestamp_header"]
        return found

    def header(self, scheme: AuthScheme) -> str:
        return scheme.header or "X-Signature"

    def openapi(self, provider: Provider, scheme: AuthScheme, description: str) -> dict[str, Any]:
        o = scheme.options
        description += (f" Each request carries HMAC-{o['algorithm'].upper()} ({o['encoding']}) of "
                        f"`{o['message']}` keyed with the secret, in {scheme.header}.")
        return {"type": "apiKey", "in": "header", "name": self.header(scheme), "description": description,
                "x-opi-signature": {"kind": "hmac", "prefix": scheme.prefix, **o}}

    def wording(self, scheme: AuthScheme, code: Callable[[str], str]) -> str:
        o = scheme.options
        stamp = o.get("timestamp_header")
        dated = (f" `{{timestamp}}` is the Unix time in seconds, also sent in {code(stamp)}, so that an old "
                 "signature cannot be replayed.") if stamp else ""
        prefix = f" after the prefix {code(scheme.prefix)}" if scheme.prefix else ""
        return (f"**HMAC signature** ({code(scheme.name)}): every request carries, in "
                f"{code(self.header(scheme))}{prefix}, the HMAC-{o['algorithm'].upper()} ({o['encoding']}) of "
                f"{code(o['message'])}, keyed with your secret. `{{body}}` is exactly the body bytes sent, "
                f"`{{method}}` the HTTP method and `{{path}}` the path with its query.{dated} The client computes "
                "it on every try of every call.")

    def verify_request(self, scheme: AuthScheme, request: Received, known: Known, token_state: TokenState
                       ) -> str | None:
        o = scheme.options
        name = self.header(scheme)
        given = request.headers.get(name.lower())
        if given is None:
            return f"Missing credentials: no {name} header"
        if not given.startswith(scheme.prefix):
            return f"Malformed {name} header: expected '{scheme.prefix}<signature>'"
        stamp = ""
        if "timestamp_header" in o:
            stamp = request.headers.get(o["timestamp_header"].lower(), "")
            if not within(stamp, time.time()):
                return f"Missing or stale {o['timestamp_header']} header"
        secret = known(scheme.inputs[0].name)
        if secret is None:
            return None  # no secret given to the server: any well-formed signature passes
        signed = message(o["message"], request.method, target(request.url), stamp, request.body)
        wanted = digest(o["algorithm"], o["encoding"], secret, signed)
        ok = hmac.compare_digest(given[len(scheme.prefix):].encode(), wanted.encode())
        return None if ok else "Invalid signature"


KIND = HmacBody()
