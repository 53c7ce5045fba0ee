"""Deliveries seen before: a bounded, thread-safe memory of replay keys and until when each counts."""

from __future__ import annotations

import threading
from collections import OrderedDict


class ReplayGuard:
    """Remembers accepted deliveries so that a repeat is refused; at most `capacity` keys, the oldest
    forgotten first. Keys of timestamped schemes expire with their tolerance window (a later repeat fails
    the timestamp check anyway); the others are kept for a week or until capacity pushes them out."""

    def __init__(self, capacity: int = 100_000) -> None:
        self.capacity = capacity
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

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
        """Let a delivery count as new again (its handler failed, so the provider's retry must get through)."""
        with self._lock:
            self._seen.pop(key, None)

    def __len__(self) -> int:
        return len(self._seen)
