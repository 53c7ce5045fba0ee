"""When a request may be sent again, and how long to wait first.

Reads retry on connection failures, timeouts, 429 and 503. A write is sent again only when the spec says
how that is made safe (an idempotency key header, or a unique client-chosen id plus a lookup); a write
without such a declaration is re-sent only when the request never left (the connection could not be made).
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Mapping
from enum import Enum
from typing import Any

import httpx

from .spec import IDEMPOTENCY_HEADER, NONE, SAFE, UNIQUE_FIELD, Operation

MAX_DELAY = 8.0  # cap of the exponential backoff, seconds
MAX_RETRY_AFTER = 60.0  # a longer Retry-After is not waited for: the error is raised instead
RETRY_STATUSES = frozenset({429, 503})


class Failure(Enum):
    NOT_SENT = "not sent"  # the connection was never made: nothing reached the provider
    TIMEOUT = "timeout"  # sent, no answer in time
    DROPPED = "dropped"  # sent, the connection broke before the answer
    FATAL = "fatal"  # a problem retrying cannot fix (bad URL, protocol, proxy)


class Action(Enum):
    RETRY = "retry"
    LOOKUP = "lookup"  # look the record up by its unique value before anything else
    RAISE = "raise"


def classify(exc: httpx.TransportError) -> Failure:
    if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return Failure.NOT_SENT
    if isinstance(exc, httpx.TimeoutException):
        return Failure.TIMEOUT
    if isinstance(exc, httpx.NetworkError | httpx.RemoteProtocolError):
        return Failure.DROPPED
    return Failure.FATAL


def after_failure(op: Operation[Any], failure: Failure, retries_left: bool) -> Action:
    """What to do after a transport failure."""
    if failure is Failure.FATAL:
        return Action.RAISE
    if failure is Failure.NOT_SENT:
        return Action.RETRY if retries_left else Action.RAISE
    kind = op.safety.kind
    if kind == UNIQUE_FIELD:
        return Action.LOOKUP
    if kind in (SAFE, IDEMPOTENCY_HEADER) and retries_left:
        return Action.RETRY
    return Action.RAISE


def after_status(
    op: Operation[Any], status: int, retries_left: bool, delay: float | None, resent: bool
) -> Action:
    """What to do after an error status. `resent`: this answer is to a repeat of an uncertain write."""
    kind = op.safety.kind
    if kind == UNIQUE_FIELD and (status >= 500 or (status == 409 and resent)):
        # The write may have happened (5xx), or it did on an earlier try (a duplicate after a resend).
        return Action.LOOKUP
    if (
        status in RETRY_STATUSES
        and kind != NONE
        and retries_left
        and (delay is None or delay <= MAX_RETRY_AFTER)
    ):
        return Action.RETRY
    return Action.RAISE


def backoff(attempt: int, base: float) -> float:
    """Exponential backoff with jitter: about base, 2*base, 4*base... capped."""
    return min(MAX_DELAY, base * 2.0**attempt) * (0.5 + random.random() / 2)


def retry_after(headers: Mapping[str, str]) -> float | None:
    """The Retry-After header in seconds (delta-seconds or an HTTP date), or None."""
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, float(when.timestamp()) - time.time())
