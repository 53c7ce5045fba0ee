"""What `opi` prints, with credentials masked: by header name, by field name and by value."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlencode

import httpx

from .cli_table import ProviderTable
from .masking import MASK, Masker

# Field names that hold credentials in any OAuth-style exchange, besides those the spec marks secret.
_SECRET_FIELDS = frozenset(
    {
        "access_token",
        "refresh_token",
        "id_token",
        "client_secret",
        "password",
        "assertion",
    }  # RFC 7521 assertion
)


class Redactor:
    """Masks credentials in everything the command prints: by header name, by field name, by value."""

    def __init__(self, table: ProviderTable, secrets: tuple[str, ...]) -> None:
        self.masker = Masker(secrets)
        self.headers = frozenset(h.lower() for h in table.secret_headers)
        self.fields = _SECRET_FIELDS | frozenset(table.secret_fields)

    def text(self, text: str) -> str:
        return self.masker.mask(text)

    def data(self, value: Any, *, by_field: bool = True) -> Any:
        """A copy of JSON data with secret values masked and, `by_field`, the values of secret fields
        (a token answer's token, learned so it is masked wherever it shows up later)."""
        if isinstance(value, dict):
            out = {}
            for key, item in value.items():
                if by_field and key in self.fields and isinstance(item, str) and item:
                    self.masker.add(item)
                    out[key] = MASK
                else:
                    out[key] = self.data(item, by_field=by_field)
            return out
        if isinstance(value, list):
            return [self.data(v, by_field=by_field) for v in value]
        if isinstance(value, str):
            return self.masker.mask(value)
        return value

    def header_map(self, headers: httpx.Headers) -> dict[str, str]:
        return self.masker.headers(dict(headers.items()), self.headers)

    def body(self, content: bytes | None, content_type: str) -> Any:
        """A request or answer body for display: JSON as data, a form as text, fields masked; files and
        streamed bodies by their size and type only."""
        if content is None:
            return f"(a body streamed from files, {content_type or 'no type'})"
        if not content:
            return None
        if not textual(content_type):
            return f"({len(content)} bytes of {content_type or 'data'})"
        text = content.decode("utf-8", errors="replace")
        if "json" in content_type:
            try:
                return self.data(json.loads(text))
            except ValueError:
                return self.text(text)
        if "x-www-form-urlencoded" in content_type:
            pairs = [
                (k, MASK if k in self.fields else self.text(v))
                for k, v in parse_qsl(text, keep_blank_values=True)
            ]
            return urlencode(pairs, safe="*")
        return self.text(text)


def textual(content_type: str) -> bool:
    media = content_type.split(";")[0].strip().lower()
    return not media or media.startswith("text/") or "json" in media or "x-www-form-urlencoded" in media
