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


_SEPARATORS = {",": "commas", " ": "spaces", ";": "semicolons"}  # the spec's `separator` enum, in words


class Hmac(WebhookKind):
    name = "hmac"

    def check(self, report: Reporter, signature: Mapping[str, Any], at: JsonPath) -> None:
        check_name(report, signature["header"], (*at, "header"), key=False)
        check_prefix(report, signature.get("prefix", ""), (*at, "prefix"))
        timed = signature.get("signed", "body") == "timestamp.body"
        pairs = signature.get("pairs")
        if pairs is not None:
            self._check_pairs(report, signature, pairs, at, timed)
        elif timed and "timestamp_header" not in signature:
            report.add(at, "signed: timestamp.body needs a timestamp_header", key=True)
        if not timed:
            for key in ("timestamp_header", "tolerance"):
                if key in signature:
                    report.add((*at, key), f"{key} applies only to signed: timestamp.body", key=True)
        if "timestamp_header" in signature:
            check_name(report, signature["timestamp_header"], (*at, "timestamp_header"), key=False)

    def _check_pairs(
        self, report: Reporter, signature: Mapping[str, Any], pairs: Mapping[str, Any], at: JsonPath, timed: bool
    ) -> None:
        """`pairs`: the header is `key=value` pairs split by commas (`t=...,v1=...,v1=...`)."""
        where = (*at, "pairs")
        if "separator" in signature:
            report.add((*at, "separator"), "separator does not apply with pairs (pairs are split by commas)", key=True)
        if "timestamp_header" in signature:
            report.add(
                (*at, "timestamp_header"), "timestamp_header does not apply with pairs: the timestamp is a pair",
                key=True,
            )
        if timed and "timestamp" not in pairs:
            report.add(where, "signed: timestamp.body with pairs needs pairs.timestamp", key=True)
        if not timed and "timestamp" in pairs:
            report.add((*where, "timestamp"), "pairs.timestamp applies only to signed: timestamp.body", key=True)
        if pairs.get("timestamp") == pairs["signature"]:
            report.add((*where, "timestamp"), "pairs.timestamp and pairs.signature must differ")

    def wording(self, signature: WebhookSignature, code: Callable[[str], str]) -> str:
        algorithm = {"sha256": "HMAC-SHA256", "sha1": "HMAC-SHA1"}[signature.algorithm]
        encoding = {"hex": "hex", "base64": "Base64"}[signature.encoding]
        prefix = f" after the prefix {code(signature.prefix)}" if signature.prefix else ""
        if signature.signature_key:
            return self._pairs_wording(signature, code, f"an {algorithm} ({encoding}{prefix})")
        several = (
            f" It may carry several signatures split by {_SEPARATORS[signature.separator]}; any that matches counts."
            if signature.separator else ""
        )
        if signature.signed == "timestamp.body":
            return (
                f"The {code(signature.header)} header carries an {algorithm} ({encoding}{prefix}) of "
                f"`<timestamp>.<raw body>` keyed with your webhook secret; {code(signature.timestamp_header)} "
                f"carries the Unix timestamp, which must be within {signature.tolerance} seconds of now.{several}"
            )
        return (
            f"The {code(signature.header)} header carries an {algorithm} ({encoding}{prefix}) of the raw body, "
            "keyed with your webhook secret. Nothing dates a delivery, so repeats are refused by remembering "
            f"the deliveries already received.{several}"
        )

    def _pairs_wording(self, signature: WebhookSignature, code: Callable[[str], str], mac: str) -> str:
        pair = code(f"{signature.signature_key}=")
        if signature.signed == "timestamp.body":
            stamp = code(f"{signature.timestamp_key}=")
            return (
                f"The {code(signature.header)} header carries comma-separated pairs: {stamp} the Unix timestamp, "
                f"which must be within {signature.tolerance} seconds of now, and one or more {pair} signatures, "
                f"each {mac} of `<timestamp>.<raw body>` keyed with your webhook secret; any that matches counts."
            )
        return (
            f"The {code(signature.header)} header carries comma-separated pairs, one or more {pair} signatures, "
            f"each {mac} of the raw body keyed with your webhook secret; any that matches counts. Nothing dates "
            "a delivery, so repeats are refused by remembering the deliveries already received."
        )

    def headers(self, signature: WebhookSignature) -> tuple[str, ...]:
        return tuple(h for h in (signature.header, signature.timestamp_header) if h)

    def sign(self, signature: WebhookSignature, body: bytes, secret: bytes, now: int, ident: str) -> dict[str, str]:
        timed = signature.signed == "timestamp.body"
        message = b"%d." % now + body if timed else body
        mac = hmac_lib.new(secret, message, getattr(hashlib, signature.algorithm)).digest()
        text = signature.prefix + (mac.hex() if signature.encoding == "hex" else base64.b64encode(mac).decode("ascii"))
        if signature.signature_key:  # `t=<now>,v1=<signature>`
            stamp = f"{signature.timestamp_key}={now}," if timed else ""
            return {signature.header: f"{stamp}{signature.signature_key}={text}"}
        headers = {signature.header: text}
        if timed:
            headers[signature.timestamp_header] = str(now)
        return headers


KIND = Hmac()
