"""Fault injection: per route, what the contract server does instead of (or on top of) a normal answer."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, replace
from typing import Literal

# A media type with optional parameters, printable ASCII only (it goes into a header as it is).
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+(; *[ -~]*)?")


@dataclass(frozen=True)
class Fault:
    """What to do to the next matching requests of one route.

    delay: seconds to wait before handling (a slow provider; longer than a client's timeout, a timeout).
    drop: close the connection with no answer, "before" handling (nothing is stored) or "after" it
        (records and uniqueness are stored).
    status: answer this status without handling the request.
    retry_after: add `Retry-After: <seconds>` to the answer; alone it means status 429.
    malformed: answer a body that is not valid JSON, still labelled JSON (after handling, or with `status`).
    html: answer an HTML error page (`text/html`), as a proxy or load balancer in front of the provider
        does, without handling the request; alone it means status 502.
    content_type: send the answer (after handling, or with `status`) under this `Content-Type` instead,
        body unchanged: e.g. "text/plain" for a JSON body labelled as text.
    huge: stream a body of this many bytes instead of the answer's (a valid JSON document, in chunks and
        without `Content-Length`), after handling or with `status`; 0 = off.
    in_answer: answer the method's declared failure inside a success answer (`in_success`), as for an
        invalid call, without handling the request.
    times: how many matching requests the fault applies to (None = all).

    At most one of malformed, html and huge replaces the body.
    """

    delay: float = 0.0
    drop: Literal["before", "after"] | None = None
    status: int | None = None
    retry_after: int | None = None
    malformed: bool = False
    html: bool = False
    content_type: str | None = None
    huge: int = 0
    in_answer: bool = False
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
        if self.huge < 0:
            raise ValueError("Fault.huge must be >= 0 (bytes; 0 = off)")
        if sum((self.malformed, self.html, self.huge > 0)) > 1:
            raise ValueError("Fault: at most one of malformed, html and huge replaces the body")
        if self.html and self.status is not None and self.status < 400:
            raise ValueError("Fault.html is an error page: its status must be >= 400")
        if self.content_type is not None and not _TOKEN.fullmatch(self.content_type):
            raise ValueError("Fault.content_type must be a media type such as 'text/plain'")

    @property
    def answer_status(self) -> int | None:
        """The status answered instead of handling the request, if any."""
        if self.status is None and self.retry_after is not None:
            return 429
        if self.status is None and self.html:
            return 502
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
