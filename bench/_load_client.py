"""The load run's client process: the generated async client sends N requests, C at a time.

`python -m bench._load_client CONFIG.json` prints JSON: requests, errors by kind, seconds, requests/s,
latency percentiles, peak RSS of this process. It imports only the generated package (not the generator),
so its peak RSS is the client's. Retries are off, so every failure counts as an error.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import resource
import statistics
import sys
import time
from collections import Counter
from typing import Any

import httpx


async def _load(cfg: dict[str, Any]) -> dict[str, Any]:
    pkg = importlib.import_module(f"opi.{cfg['alias']}")
    total, concurrency = int(cfg["requests"]), int(cfg["concurrency"])
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    errors: Counter[str] = Counter()
    latencies: list[float] = []
    next_index = 0
    async with httpx.AsyncClient(limits=limits, timeout=30.0) as http:
        client = pkg.AsyncClient(base_url=cfg["url"], http_client=http, max_retries=0, **cfg["credentials"])
        call = getattr(client, cfg["method"])

        async def worker() -> None:
            nonlocal next_index
            while next_index < total:
                next_index += 1
                start = time.perf_counter()
                try:
                    await call(**cfg["kwargs"])
                except Exception as exc:  # counted and reported by kind, never hidden
                    errors[type(exc).__name__] += 1
                latencies.append(time.perf_counter() - start)

        start = time.perf_counter()
        await asyncio.wait_for(asyncio.gather(*(worker() for _ in range(concurrency))), cfg["deadline"])
        seconds = time.perf_counter() - start
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": sum(errors.values()),
        "error_kinds": dict(errors),
        "seconds": seconds,
        "rps": len(latencies) / seconds,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as handle:
        cfg = json.load(handle)
    print(json.dumps(asyncio.run(_load(cfg))))


if __name__ == "__main__":
    main()
