"""Keeping credentials out of logs, reprs and exception messages."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from urllib.parse import unquote, urlsplit

MASK = "***"
# Header names that always carry credentials, whatever the spec calls its inputs.
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "x-api-key", "x-apikey"})


def url_password(url: str) -> list[str]:
    """The password a URL carries in its authority (`https://user:password@host`): none, or one secret."""
    try:
        password = urlsplit(url).password
    except ValueError:  # not a URL anything can be sent to; the error comes at sending
        return []
    return [unquote(password)] if password else []


class Masker:
    """Replaces every known secret value in a text. Secrets are added as they appear (e.g. fetched tokens)."""

    __slots__ = ("_encoded", "_secrets")

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: set[str] = set()
        self._encoded: dict[str, re.Pattern[str]] = {}  # secrets that a URL or a form may percent-encode
        for value in secrets:
            self.add(value)

    def add(self, value: str | None) -> None:
        # Very short values would mask unrelated text; no real credential is that short.
        if value and len(value) >= 4:
            self._secrets.add(value)
            if any(c not in _UNRESERVED for c in value) and value not in self._encoded:
                self._encoded[value] = _encodings(value)

    def mask(self, text: str) -> str:
        # Longest first, so a secret that contains another is masked whole.
        for secret in sorted(self._secrets, key=len, reverse=True):
            if secret in text:
                text = text.replace(secret, MASK)
        for pattern in self._encoded.values():
            if "%" in text or "+" in text:
                text = pattern.sub(MASK, text)
        return text

    def headers(self, headers: Mapping[str, str], secret_names: Iterable[str] = ()) -> dict[str, str]:
        """A copy fit for a log: credential headers replaced whole, other values masked."""
        hidden = SECRET_HEADERS | {name.lower() for name in secret_names}
        return {k: MASK if k.lower() in hidden else self.mask(v) for k, v in headers.items()}


_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def _encodings(value: str) -> re.Pattern[str]:
    """A secret as any URL or form encoder may write it: each character as it is or percent-encoded (hex
    digits of either case), a space also as `+`. Encoders differ in what they leave as it is (httpx, yarl
    and urllib keep different sets of `/`, `:`, `@`, `=`), so every choice matches."""
    parts = []
    for char in value:
        if char in _UNRESERVED:
            parts.append(re.escape(char))
            continue
        encoded = "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))
        spelled = "".join(f"%[{h[1]}{h[1].lower()}][{h[2]}{h[2].lower()}]" for h in _triples(encoded))
        alternatives = [re.escape(char), spelled] + (["\\+"] if char == " " else [])
        parts.append("(?:" + "|".join(alternatives) + ")")
    return re.compile("".join(parts))


def _triples(encoded: str) -> list[str]:
    return [encoded[i : i + 3] for i in range(0, len(encoded), 3)]
