"""The load run's client process: one client sends N requests, C at a time, and reports.

`python -m bench._load_client CONFIG.json` prints JSON: requests, errors by kind, seconds, requests/s,
latency percentiles, this process's CPU seconds and peak RSS. The client (`mode`) is raw aiohttp, raw httpx,
or the generated `AsyncClient` on its default transport (aiohttp) or on httpx's; raw clients send the same
headers (credentials included), read the body and parse its JSON, as the generated one does (and more:
validation into the typed model). Every pool holds C connections. It imports only the generated package
and the HTTP libraries (not the generator). Retries are off, so every failure counts as an error.
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
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

Call = Callable[[], Awaitable[Any]]


async def _run(call: Call, total: int, concurrency: int, deadline: float) -> dict[str, Any]:
    """`total` calls, `concurrency` at a time, after a warm-up of as many calls as there are connections
    (it opens the pool; the generated client also imports its models on its first call): the warm-up is
    not timed, its errors are counted."""
    errors: Counter[str] = Counter()
    await asyncio.wait_for(asyncio.gather(*(_counted(call, errors) for _ in range(concurrency))), deadline)
    latencies: list[float] = []
    next_index = 0

    async def worker() -> None:
        nonlocal next_index
        while next_index < total:
            next_index += 1
            start = time.perf_counter()
            try:
                await call()
            except Exception as exc:  # counted and reported by kind, never hidden
                errors[type(exc).__name__] += 1
            latencies.append(time.perf_counter() - start)

    warm_errors = sum(errors.values())
    cpu = time.process_time()
    start = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*(worker() for _ in range(concurrency))), deadline)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": sum(errors.values()),
        "warm_up_errors": warm_errors,
        "error_kinds": dict(errors),
        "seconds": seconds,
        "rps": len(latencies) / seconds,
        "cpu_us": cpu / max(len(latencies), 1) * 1e6,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[max(int(len(latencies) * 0.99) - 1, 0)] * 1000,
    }


async def _counted(call: Call, errors: Counter[str]) -> None:
    try:
        await call()
    except Exception as exc:  # counted and reported by kind, never hidden
        errors[type(exc).__name__] += 1


async def _load(cfg: dict[str, Any]) -> dict[str, Any]:
    mode, total, concurrency = cfg["mode"], int(cfg["requests"]), int(cfg["concurrency"])
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    run = (total, concurrency, float(cfg["deadline"]))
    if mode == "raw-aiohttp":
        import aiohttp

        connector = aiohttp.TCPConnector(limit=concurrency)
        async with aiohttp.ClientSession(connector=connector) as session:

            async def raw_aiohttp() -> Any:
                async with session.get(cfg["target"], headers=cfg["headers"]) as response:
                    response.raise_for_status()
                    return json.loads(await response.read())

            return await _run(raw_aiohttp, *run)
    if mode == "raw-httpx":
        async with httpx.AsyncClient(limits=limits, timeout=30.0) as http:

            async def raw_httpx() -> Any:
                response = await http.get(cfg["target"], headers=cfg["headers"])
                response.raise_for_status()
                return json.loads(response.content)

            return await _run(raw_httpx, *run)
    pkg = importlib.import_module(f"opi.{cfg['alias']}")
    options: dict[str, Any] = {"base_url": cfg["url"], "max_retries": 0, **cfg["credentials"]}
    if mode == "opi-httpx":
        options["transport"] = httpx.AsyncHTTPTransport(limits=limits)
    async with pkg.AsyncClient(**options) as client:
        method = getattr(client, cfg["method"])
        kwargs = cfg["kwargs"]

        async def generated() -> Any:
            return await method(**kwargs)

        return await _run(generated, *run)


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as handle:
        cfg = json.load(handle)
    result = asyncio.run(_load(cfg))
    result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


if __name__ == "__main__":
    main()
