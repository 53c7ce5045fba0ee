"""Keeping credentials out of logs, reprs and exception messages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import quote, quote_plus

MASK = "***"
# Header names that always carry credentials, whatever the spec calls its inputs.
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "x-api-key", "x-apikey"})


class Masker:
    """Replaces every known secret value in a text. Secrets are added as they appear (e.g. fetched tokens)."""

    __slots__ = ("_secrets",)

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: set[str] = set()
        for value in secrets:
            self.add(value)

    def add(self, value: str | None) -> None:
        # Very short values would mask unrelated text; no real credential is that short.
        if value and len(value) >= 4:
            self._secrets.add(value)
            # As a credential in a URL shows it: percent-encoded in a path segment or a query value.
            self._secrets.update(form for form in (quote(value, safe=""), quote(value, safe=":@"), quote_plus(value))
                                 if form != value)

    def mask(self, text: str) -> str:
        # Longest first, so a secret that contains another is masked whole.
        for secret in sorted(self._secrets, key=len, reverse=True):
            if secret in text:
                text = text.replace(secret, MASK)
        return text

    def headers(self, headers: Mapping[str, str], secret_names: Iterable[str] = ()) -> dict[str, str]:
        """A copy fit for a log: credential headers replaced whole, other values masked."""
        hidden = SECRET_HEADERS | {name.lower() for name in secret_names}
        return {k: MASK if k.lower() in hidden else self.mask(v) for k, v in headers.items()}
