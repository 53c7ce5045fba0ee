"""One log line per request, with every secret masked: credential headers and secret parameters."""

from __future__ import annotations

import json
from typing import Any

from ..ir import Location, Provider
from .state import RecordedRequest

MASK = "***"
# The secret fields of OAuth 2.0 token and authorization requests (RFC 6749, 7636, 8628).
OAUTH_FIELDS = frozenset({"refresh_token", "code", "code_verifier", "device_code", "client_secret", "state"})
_MAX_BODY = 300


class Masker:
    def __init__(self, provider: Provider, credential_headers: frozenset[str]) -> None:
        self.alias = provider.alias
        params = [p for m in provider.methods for p in m.parameters if p.secret]
        placed = [s.wire for s in provider.schemes if s.wire is not None]  # keys in the query, path or body
        self._fields = frozenset(p.wire for p in params if p.location in (Location.BODY, Location.QUERY))
        if any(s.flow is not None or s.refresh_field for s in provider.schemes):  # OAuth requests
            self._fields |= OAUTH_FIELDS
        self._fields |= frozenset(placed)
        self._headers = credential_headers | {p.wire.lower() for p in params if p.location is Location.HEADER}
        self._path_params = {
            m.name: [p.wire for p in m.parameters if p.secret and p.location is Location.PATH] + placed
            for m in provider.methods
        }

    def _value(self, name: str, value: Any) -> Any:
        return MASK if name in self._fields else value

    def path(self, request: RecordedRequest, path_values: dict[str, Any]) -> str:
        path = request.path
        for wire in self._path_params.get(request.route or "", []):
            if wire in path_values:
                path = path.replace(str(path_values[wire]), MASK)
        return path

    def query(self, request: RecordedRequest) -> str:
        pairs = [f"{k}={self._value(k, v)}" for k, values in request.query.items() for v in values]
        return "?" + "&".join(pairs) if pairs else ""

    def body(self, request: RecordedRequest) -> str:
        if not request.body:
            return ""
        data: Any = request.form if request.form is not None else request.json
        if isinstance(data, dict):
            text = json.dumps({k: self._value(k, v) for k, v in data.items()}, ensure_ascii=False)
        else:
            text = f"<{len(request.body)} bytes>"
        return text if len(text) <= _MAX_BODY else text[: _MAX_BODY - 3] + "..."

    def line(self, request: RecordedRequest, path_values: dict[str, Any], status: int | None,
             elapsed: float) -> str:
        answered = "dropped" if status is None else str(status)
        parts = [
            f"{self.alias} {request.method} {self.path(request, path_values)}{self.query(request)}",
            f"-> {answered} {request.route or '-'} {elapsed * 1000:.1f}ms",
        ]
        sent = sorted(h for h in request.headers if h in self._headers)
        if sent:
            parts.append("credentials " + ", ".join(f"{h}={MASK}" for h in sent))
        body = self.body(request)
        if body:
            parts.append(f"body {body}")
        # One line, whatever the client sent.
        return " ".join(parts).replace("\r", "\\r").replace("\n", "\\n")
