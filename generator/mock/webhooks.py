"""The contract server's webhook deliveries: after a write succeeds, each event the spec sends after it is
POSTed to the URL registered at start (`--webhook-url`), signed as the provider signs, and retried with
exponential backoff while the receiver fails or cannot be reached (as providers do).

Deliveries run on one background thread, so the write's answer never waits for the receiver.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
import uuid
from dataclasses import dataclass, field

import httpx

from ..ir import Provider, WebhookEvent
from ..kinds import WEBHOOKS

LOGGER = logging.getLogger("opigen.mock")

ATTEMPTS = 5
FIRST_WAIT = 0.5  # seconds before the first retry; doubled after each failure
TIMEOUT = 5.0


@dataclass
class Attempt:
    event: str
    ident: str
    number: int  # 1 for the first try
    status: int | None  # the receiver's answer; None when it could not be reached
    error: str = ""


@dataclass
class _Job:
    event: WebhookEvent
    ident: str = field(default_factory=lambda: f"msg_{uuid.uuid4().hex}")


def default_secret(provider: Provider) -> str:
    """The secret the contract server signs with when none is given (`kinds.WEBHOOKS[...].mock_secret`)."""
    hooks = provider.webhooks
    return WEBHOOKS[hooks.signature.scheme].mock_secret if hooks else ""


class Deliverer:
    """Sends a provider's events to one URL. `after(method)` queues the events that follow a write."""

    def __init__(self, provider: Provider, url: str, secret: str, *, attempts: int = ATTEMPTS,
                 first_wait: float = FIRST_WAIT, timeout: float = TIMEOUT) -> None:
        if provider.webhooks is None:
            raise ValueError(f"{provider.alias} declares no webhooks")
        self.hooks = provider.webhooks
        self.kind = WEBHOOKS[self.hooks.signature.scheme]
        self.url, self.secret = url, secret.encode("utf-8")
        self.attempts, self.first_wait, self.timeout = attempts, first_wait, timeout
        self.log: list[Attempt] = []
        self._lock = threading.Lock()
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"opigen-webhooks-{provider.alias}", daemon=True)
        self._thread.start()

    def after(self, method: str) -> None:
        for event in self.hooks.events:
            if method in event.after:
                self._queue.put(_Job(event))

    def send(self, event_name: str) -> None:
        """Queue one event by name (tests and `opigen mock` use it to send without a write)."""
        self._queue.put(_Job(next(e for e in self.hooks.events if e.name == event_name)))

    def attempts_made(self) -> list[Attempt]:
        with self._lock:
            return list(self.log)

    def close(self) -> None:
        self._stop.set()
        self._queue.put(None)
        self._thread.join(timeout=self.timeout + 1)

    def _run(self) -> None:
        with httpx.Client(timeout=self.timeout) as client:
            while (job := self._queue.get()) is not None:
                self._deliver(client, job)

    def _deliver(self, client: httpx.Client, job: _Job) -> None:
        body = json.dumps(job.event.example, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        wait = self.first_wait
        for number in range(1, self.attempts + 1):
            # Signed afresh on every attempt, as providers do: a new timestamp, the same delivery id.
            headers = self.kind.sign(self.hooks.signature, body, self.secret, int(time.time()), job.ident)
            headers["Content-Type"] = "application/json"
            try:
                status: int | None = client.post(self.url, content=body, headers=headers).status_code
                error = ""
            except httpx.HTTPError as exc:
                status, error = None, type(exc).__name__
            with self._lock:
                self.log.append(Attempt(job.event.name, job.ident, number, status, error))
            LOGGER.info("webhook %s attempt %d -> %s", job.event.name, number, status or error)
            if status is not None and 200 <= status < 300:
                return
            if number == self.attempts or self._stop.wait(wait):
                return
            wait *= 2


def start_deliveries(provider: Provider, url: str | None, secret: str | None,
                     first_wait: float | None) -> Deliverer | None:
    """The deliverer for `url` (None when no URL was given); the secret defaults to the kind's mock one."""
    if url is None:
        return None
    secret = default_secret(provider) if secret is None else secret
    return Deliverer(provider, url, secret, first_wait=FIRST_WAIT if first_wait is None else first_wait)
