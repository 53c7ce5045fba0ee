"""An HMAC (SHA-256 or SHA-1) over the raw body or over `timestamp.body`, sent hex or Base64 in a header.

The header carries one signature, several split by `separator`, or `key=value` pairs (`t=...,v1=...,v1=...`:
the timestamp under `timestamp_key`, each signature under `signature_key`). Any signature may match any of
the secrets given (rotation on either side). Every signature is compared with every secret's HMAC in
constant time, without stopping at the first match.

Written for the hot path (one call per delivery): `build` reads the spec's record once and returns the
check; a typical delivery costs one HMAC in OpenSSL and one constant-time compare."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Callable

from ..core import (
    KEEP_UNTIMED,
    MAX_HEADER_VALUE,
    MAX_SIGNATURES,
    Delivery,
    Signature,
    Verified,
    WebhookVerificationError,
    check_age,
    need_secrets,
)

Mac = Callable[[bytes, bytes], bytes]


def _mac(algorithm: str) -> Mac:
    """HMAC of (key, message) as raw bytes. OpenSSL's HMAC object straight from `_hashlib`, the module the
    standard `hmac` uses itself, costs about half of `hmac.new(...)` (which wraps it in a Python object);
    `hmac.digest` where `_hashlib` is absent (another Python implementation)."""
    try:
        from _hashlib import hmac_new
    except ImportError:  # pragma: no cover - CPython always has it when hashlib has OpenSSL
        constructor = {"sha256": hashlib.sha256, "sha1": hashlib.sha1}[algorithm]
        return lambda key, message: hmac.digest(key, message, constructor)

    def mac(key: bytes, message: bytes) -> bytes:
        return hmac_new(key, message, algorithm).digest()

    return mac


def _refused(message: str) -> WebhookVerificationError:
    return WebhookVerificationError("bad_signature", message)


def _timestamp_text(text: str, where: str) -> str:
    text = text.strip()
    if not (text.isdigit() and text.isascii() and len(text) <= 12):
        raise _refused(f"the {where} is not a Unix timestamp")
    return text


def build(signature: Signature) -> Callable[[Delivery], Verified]:
    mac = _mac(signature.algorithm)
    header, prefix, tolerance = signature.header, signature.prefix, signature.tolerance
    timed = signature.signed == "timestamp.body"
    hexed = signature.encoding == "hex"
    separator = signature.separator
    signature_key, timestamp_key = signature.signature_key, signature.timestamp_key
    timestamp_header = signature.timestamp_header
    timestamp_where = f"{timestamp_header} header"
    single = not (separator or signature_key)
    prefix_length = len(prefix)

    def candidates(delivery: Delivery) -> tuple[list[str], str]:
        """The signatures the header offers (prefix removed) and the signed timestamp ('' when none)."""
        text = delivery.header(header).strip()
        stamp = ""
        if signature_key:
            given = []
            for part in text.split(",", 2 * MAX_SIGNATURES + 1):
                key, equals, value = part.strip().partition("=")
                if not equals:
                    continue
                if key == signature_key:
                    given.append(value.strip())
                elif key == timestamp_key and timed:
                    stamp = value
            if timed and not stamp:
                raise _refused(f"the {header} header has no {timestamp_key}= timestamp")
            stamp = (
                _timestamp_text(stamp, f"{timestamp_key}= timestamp of the {header} header") if stamp else ""
            )
        else:
            given = [p.strip() for p in text.split(separator)] if separator else [text]
            if timed:
                stamp = _timestamp_text(delivery.header(timestamp_header), timestamp_where)
        if prefix:
            given = [g[len(prefix) :] for g in given if g.startswith(prefix)]
            if not given:
                raise _refused(f"the {header} header lacks its prefix")
        if not given or len(given) > MAX_SIGNATURES:
            raise _refused(f"the {header} header carries {len(given)} signatures")
        return given, stamp

    def decoded(given: list[str]) -> list[bytes]:
        """Each offered signature as raw bytes; a malformed one as b'' (it matches nothing)."""
        out = []
        for text in given:
            try:
                out.append(bytes.fromhex(text) if hexed else base64.b64decode(text, validate=True))
            except (ValueError, binascii.Error):
                out.append(b"")
        return out

    def verified(delivery: Delivery, given: list[str], stamp: str) -> Verified:
        """Any offered signature against any secret's HMAC; every pair is compared (no early exit)."""
        secrets = need_secrets(delivery)
        message = b"%s.%s" % (stamp.encode("ascii"), delivery.body) if timed else delivery.body
        offered = decoded(given)
        matches = False
        for secret in secrets:
            mac_ = mac(secret, message)
            for raw in offered:
                matches |= hmac.compare_digest(mac_, raw)
        if not matches:
            raise _refused("the signature does not match the body and secret")
        # The HMAC under the first secret identifies the delivery whichever signature matched.
        return dated(delivery, mac(secrets[0], message).hex(), stamp)

    def dated(delivery: Delivery, key: str, stamp: str) -> Verified:
        if not timed:
            return Verified(key, delivery.now + KEEP_UNTIMED)
        moment = int(stamp)
        check_age(moment, delivery.now, tolerance)
        return Verified(key, moment + tolerance)

    def verify_many(delivery: Delivery) -> Verified:
        need_secrets(delivery)
        given, stamp = candidates(delivery)
        return verified(delivery, given, stamp)

    def verify(delivery: Delivery) -> Verified:
        """One signature in the header (no separator, no pairs): the usual delivery, written out for the
        hot path (one header lookup each, one HMAC, one compare of the text forms)."""
        headers, secrets = delivery.headers, delivery.secrets
        text = headers.get(header)
        if text is None or len(text) > MAX_HEADER_VALUE:
            text = delivery.header(header)  # any case of the name; refuses one too long
        text = text.strip()
        if prefix:
            if not text.startswith(prefix):
                raise _refused(f"the {header} header lacks its prefix")
            text = text[prefix_length:]
        if timed:
            stamp = headers.get(timestamp_header)
            if stamp is None or len(stamp) > MAX_HEADER_VALUE:
                stamp = delivery.header(timestamp_header)
            if not (stamp.isdigit() and stamp.isascii() and len(stamp) <= 12):
                stamp = _timestamp_text(stamp, timestamp_where)
            message = b"%s.%s" % (stamp.encode("ascii"), delivery.body)
        else:
            stamp, message = "", delivery.body
        if len(secrets) != 1:
            return verified(delivery, [text], stamp)
        mac_ = mac(secrets[0], message)
        key = mac_.hex()
        if not text.isascii():  # compare_digest takes ASCII text only; no signature is anything else
            matches = False
        elif hexed:
            matches = hmac.compare_digest(key, text.lower())
        else:
            matches = hmac.compare_digest(base64.b64encode(mac_).decode("ascii"), text)
        if not matches:
            raise _refused("the signature does not match the body and secret")
        if not timed:
            return Verified(key, delivery.now + KEEP_UNTIMED)
        moment = int(stamp)
        check_age(moment, delivery.now, tolerance)
        return Verified(key, moment + tolerance)

    return verify if single else verify_many
