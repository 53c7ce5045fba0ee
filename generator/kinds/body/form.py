"""An HTML form body (`application/x-www-form-urlencoded`): flat fields of scalar values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from ...problems import JsonPath, Reporter
from ..base import BodyKind

_WORDS = {"object": "mappings", "array": "lists"}


class FormBody(BodyKind):
    name = "form"
    media_type = "application/x-www-form-urlencoded"
    wording = "an HTML form"
    textual = True

    def check(self, report: Reporter, method: Mapping[str, Any], at: JsonPath) -> None:
        if method["body"].get("style") == "brackets":  # nested values in bracket notation
            return
        for j, p in enumerate(method.get("parameters") or []):
            kind = p["schema"].get("type")
            if p["in"] == "body" and isinstance(kind, str) and kind in _WORDS:
                report.add((*at, "parameters", j, "schema"),
                           f"form bodies hold scalar fields only, not {_WORDS[kind]} (unless body.style is brackets)")

    def parse(self, body: bytes, content_type: str) -> dict[str, Any] | str:
        refused = f"body must be {self.media_type}"
        if content_type != self.media_type:
            return refused
        try:
            return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        except (UnicodeDecodeError, ValueError):
            return refused


KIND = FormBody()
