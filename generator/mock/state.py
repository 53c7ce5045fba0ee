"""What the contract server remembers: requests received, tokens issued, records created.

Everything here is guarded by one lock: the server's event loop writes while the test's thread reads.
"""

from __future__ import annotations

import copy
import math
import secrets
import threading
import time
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True, repr=False)
class RecordedRequest:
    """One request the server received (also rejected and dropped ones)."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes
    json: Any | None
    form: dict[str, str] | None
    route: str | None  # spec method name
    status: int | None  # answer status; None while in flight or when dropped

    def __repr__(self) -> str:
        # Headers and body may carry credentials: never in a repr.
        return f"RecordedRequest({self.method} {self.path} route={self.route} status={self.status})"


@dataclass
class _Token:
    expires_at: float


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


class ServerState:
    def __init__(self, seeded_tokens: tuple[str, ...] = (), token_ttl: float = 3600.0) -> None:
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._tokens: dict[str, _Token] = {}
        self._records: dict[str, dict[str, Any]] = {}  # method name -> unique key -> record
        self._seeded = seeded_tokens
        self.token_ttl = token_ttl
        self._seed()

    def _seed(self) -> None:
        for token in self._seeded:
            self._tokens[token] = _Token(time.monotonic() + self.token_ttl)

    # --- requests ------------------------------------------------------------------------------------
    def received(self, request: RecordedRequest) -> int:
        with self._lock:
            self._requests.append(request)
            return len(self._requests) - 1

    def answered(self, slot: int, request: RecordedRequest, status: int | None) -> None:
        with self._lock:
            # A reset while the request was in flight leaves nothing to update.
            if slot < len(self._requests) and self._requests[slot] is request:
                self._requests[slot] = replace(request, status=status)

    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    # --- tokens --------------------------------------------------------------------------------------
    def issue_token(self) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[token] = _Token(time.monotonic() + self.token_ttl)
        return token

    def tokens(self) -> list[str]:
        with self._lock:
            return list(self._tokens)

    def token_state(self, token: str) -> str:
        """'valid', 'expired' or 'unknown'."""
        with self._lock:
            found = self._tokens.get(token)
        if found is None:
            return "unknown"
        return "valid" if time.monotonic() < found.expires_at else "expired"

    def expire_tokens(self) -> None:
        with self._lock:
            for token in self._tokens.values():
                token.expires_at = -math.inf

    # --- records -------------------------------------------------------------------------------------
    def create_record(self, method: str, key: str, record: Any) -> bool:
        """Store a record under its unique key; False if the key is taken."""
        with self._lock:
            table = self._records.setdefault(method, {})
            if key in table:
                return False
            table[key] = copy.deepcopy(record)
            return True

    def records(self, method: str, key: str | None = None) -> list[Any]:
        with self._lock:
            table = self._records.get(method, {})
            found = list(table.values()) if key is None else [table[key]] if key in table else []
            return copy.deepcopy(found)

    def reset(self) -> None:
        with self._lock:
            self._requests.clear()
            self._tokens.clear()
            self._records.clear()
            self._seed()
