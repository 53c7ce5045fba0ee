"""Deliveries seen before: the replay store protocol and the default, in-process store.

The default `ReplayGuard` lives in one process's memory: a receiver run as several processes (workers,
replicas) must give them a shared store, or a delivery replayed to another process is accepted there. Any
object with `seen(key, ttl)` and `forget(key)` is one, e.g. over Redis:

    class RedisReplays:
        def __init__(self, redis): self.redis = redis
        def seen(self, key, ttl): return not self.redis.set(f"webhook:{key}", 1, nx=True, ex=max(1, int(ttl)))
        def forget(self, key): self.redis.delete(f"webhook:{key}")

    verify(body, headers, secret, replays=RedisReplays(redis))
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol, runtime_checkable


@runtime_checkable
class ReplayStore(Protocol):
    """Where accepted deliveries are remembered. `seen` must check and record in one atomic step (Redis
    `SET key 1 NX EX ttl`), or two copies of a delivery arriving at once could both be accepted."""

    def seen(self, key: str, ttl: float) -> bool:
        """True when `key` was recorded before and has not expired (a replay); otherwise record it for
        `ttl` seconds and return False."""
        ...

    def forget(self, key: str) -> None:
        """Let a delivery count as new again (its handler failed, so the provider's retry must get through)."""
        ...


class ReplayGuard:
    """The in-process ReplayStore: remembers accepted deliveries so that a repeat is refused; at most
    `capacity` keys, the oldest forgotten first. Keys of timestamped schemes expire with their tolerance
    window (a later repeat fails the timestamp check anyway); the others are kept for a week or until
    capacity pushes them out. Per process only (see the module's docstring for a shared store)."""

    def __init__(self, capacity: int = 100_000, clock: Callable[[], float] = time.time) -> None:
        self.capacity = capacity
        self.clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def seen(self, key: str, ttl: float) -> bool:
        now = self.clock()
        return not self.add(key, now + ttl, now)

    def add(self, key: str, expires: float, now: float) -> bool:
        """Record `key`; False when it was recorded before and has not expired (a replay)."""
        with self._lock:
            for _ in range(2):  # drop a couple of expired keys from the oldest end on every add
                oldest = next(iter(self._seen.items()), None)
                if oldest is None or oldest[1] > now:
                    break
                self._seen.popitem(last=False)
            until = self._seen.get(key)
            if until is not None and until > now:
                return False
            self._seen[key] = expires
            self._seen.move_to_end(key)
            while len(self._seen) > self.capacity:
                self._seen.popitem(last=False)
            return True

    def forget(self, key: str) -> None:
        with self._lock:
            self._seen.pop(key, None)

    def __len__(self) -> int:
        return len(self._seen)
