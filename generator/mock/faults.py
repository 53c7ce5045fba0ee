"""Fault injection: per route, what the contract server does instead of (or on top of) a normal answer."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from typing import Literal


@dataclass(frozen=True)
class Fault:
    """What to do to the next matching requests of one route.

    delay: seconds to wait before handling. drop: close the connection with no answer, "before" handling
    (nothing is stored) or "after" it (records and uniqueness are stored). status: answer this status
    without handling the request (retry_after adds `Retry-After`; retry_after alone means 429).
    malformed: answer a body that is not valid JSON (after handling, or with `status`). times: how many
    matching requests the fault applies to (None = all).
    """

    delay: float = 0.0
    drop: Literal["before", "after"] | None = None
    status: int | None = None
    retry_after: int | None = None
    malformed: bool = False
    times: int | None = None

    def __post_init__(self) -> None:
        if self.delay < 0:
            raise ValueError("Fault.delay must be >= 0")
        if self.drop not in (None, "before", "after"):
            raise ValueError("Fault.drop must be 'before', 'after' or None")
        if self.status is not None and not 100 <= self.status <= 599:
            raise ValueError("Fault.status must be an HTTP status (100-599)")
        if self.retry_after is not None and self.retry_after < 0:
            raise ValueError("Fault.retry_after must be >= 0")
        if self.times is not None and self.times < 1:
            raise ValueError("Fault.times must be >= 1 or None")

    @property
    def answer_status(self) -> int | None:
        """The status answered instead of handling the request, if any."""
        if self.status is None and self.retry_after is not None:
            return 429
        return self.status


class FaultBook:
    """The faults set per route; thread-safe, because tests set them while the server runs."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: dict[str, Fault] = {}

    def set(self, route: str, fault: Fault) -> None:
        with self._lock:
            self._faults[route] = fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def take(self, route: str | None) -> Fault | None:
        """The fault for one request of `route`, counting it against `times`."""
        if route is None:
            return None
        with self._lock:
            fault = self._faults.get(route)
            if fault is None or fault.times is None:
                return fault
            if fault.times <= 1:
                del self._faults[route]
            else:
                self._faults[route] = replace(fault, times=fault.times - 1)
            return fault
