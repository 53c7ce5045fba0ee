"""HMAC (SHA-256 or SHA-1) over the raw body or over `timestamp.body`, hex or Base64, in a header."""

from __future__ import annotations

import base64
import hashlib
import hmac as hmac_lib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ...http_syntax import check_name, check_prefix
from ...problems import JsonPath, Reporter
from .base import WebhookKind

if TYPE_CHECKING:
    from ...ir import WebhookSignature


class Hmac(WebhookKind):
    name = "hmac"

    def check(self, report: Reporter, signature: Mapping[str, Any], at: JsonPath) -> None:
        check_name(report, signature["header"], (*at, "header"), key=False)
        check_prefix(report, signature.get("prefix", ""), (*at, "prefix"))
        timed = signature.get("signed", "body") == "timestamp.body"
        if timed and "timestamp_header" not in signature:
            report.add(at, "signed: timestamp.body needs a timestamp_header", key=True)
        if not timed:
            for key in ("timestamp_header", "tolerance"):
                if key in signature:
                    report.add((*at, key), f"{key} applies only to signed: timestamp.body", key=True)
        if "timestamp_header" in signature:
            check_name(report, signature["timestamp_header"], (*at, "timestamp_header"), key=False)

    def wording(self, signature: WebhookSignature, code: Callable[[str], str]) -> str:
        algorithm = {"sha256": "HMAC-SHA256", "sha1": "HMAC-SHA1"}[signature.algorithm]
        encoding = {"hex": "hex", "base64": "Base64"}[signature.encoding]
        prefix = f" after the prefix {code(signature.prefix)}" if signature.prefix else ""
        if signature.signed == "timestamp.body":
            return (
                f"The {code(signature.header)} header carries an {algorithm} ({encoding}{prefix}) of "
                f"`<timestamp>.<raw body>` keyed with your webhook secret; {code(signature.timestamp_header)} "
                f"carries the Unix timestamp, which must be within {signature.tolerance} seconds of now."
            )
        return (
            f"The {code(signature.header)} header carries an {algorithm} ({encoding}{prefix}) of the raw body, "
            "keyed with your webhook secret. Nothing dates a delivery, so repeats are refused by remembering "
            "the deliveries already received."
        )

    def sign(self, signature: WebhookSignature, body: bytes, secret: bytes, now: int, ident: str) -> dict[str, str]:
        timed = signature.signed == "timestamp.body"
        message = b"%d." % now + body if timed else body
        mac = hmac_lib.new(secret, message, getattr(hashlib, signature.algorithm)).digest()
        text = mac.hex() if signature.encoding == "hex" else base64.b64encode(mac).decode("ascii")
        headers = {signature.header: signature.prefix + text}
        if timed:
            headers[signature.timestamp_header] = str(now)
        return headers


KIND = Hmac()
