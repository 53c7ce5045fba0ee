"""Load run: the generated async client sends 10,000 requests, 200 at a time, to the contract server.

The server is `opigen mock <alias>` (uvicorn on 127.0.0.1, its own process; backlog 2048 by uvicorn's
default, above the 200 connections) answering one read method (a GET) of a real provider spec; the client
runs in its own process (`bench._load_client`) with an httpx pool of 200 connections and retries off.
Zero errors is required; requests/s and the client process's peak RSS are reported. Both processes are
bounded by timeouts and stopped by the bench.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from .client_overhead import Case, cases, credentials

ROOT = Path(__file__).resolve().parent.parent
OPIGEN = str(Path(sys.executable).parent / "opigen")
REQUESTS, CONCURRENCY = 10_000, 200


def _read_case() -> Case:
    """The first GET method (providers by alias) whose auth needs no token fetch."""
    for case in cases():
        schemes = {s.name: s for s in case.provider.schemes}
        kinds = {schemes[n].kind for alt in case.method.auth for n in alt}
        if case.verb == "GET" and "oauth2" not in kinds:
            return case
    raise RuntimeError("no GET method without OAuth in the specs")


def run(quick: bool = False) -> dict[str, Any]:
    total = 2_000 if quick else REQUESTS
    case = _read_case()
    server = subprocess.Popen(
        [OPIGEN, "mock", case.provider.alias, "--port", "0", "--specs", str(ROOT / "specs")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        assert server.stdout is not None
        alias, url = server.stdout.readline().split()
        cfg = {"alias": alias, "url": url, "method": case.method.py_name, "kwargs": case.kwargs,
               "credentials": credentials(case.provider), "requests": total, "concurrency": CONCURRENCY,
               "deadline": 240.0}
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump(cfg, handle)
        try:
            proc = subprocess.run([sys.executable, "-m", "bench._load_client", handle.name], cwd=ROOT,
                                  capture_output=True, text=True, timeout=300, check=True)
        finally:
            Path(handle.name).unlink(missing_ok=True)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    result |= {"provider": alias, "method": case.method.name, "http": f"{case.verb} {case.method.path}",
               "concurrency": CONCURRENCY, "planned": total}
    return result


def checks(result: dict[str, Any]) -> list[dict[str, Any]]:
    from .report import check

    row = check(f"Load: errors, async client, {result['planned']:,} requests at concurrency "
                f"{result['concurrency']}", float(result["errors"]), float(result["requests"]), "requests", 0.0,
                f"{result['rps']:.0f} requests/s, client peak RSS {result['peak_rss_mib']:.0f} MiB")
    row["pass"] = result["errors"] == 0 and result["requests"] == result["planned"]
    return [row]


def table(result: dict[str, Any]) -> list[str]:
    kinds = ", ".join(f"{k}: {v}" for k, v in result["error_kinds"].items()) or "none"
    return [
        f"`{result['provider']}` {result['method']} (`{result['http']}`) on `opigen mock`, "
        f"{result['planned']:,} requests, {result['concurrency']} at a time, retries off.",
        "",
        "| requests done | errors | seconds | requests/s | p50 ms | p99 ms | client peak RSS MiB |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        f"| {result['requests']:,} | {result['errors']} ({kinds}) | {result['seconds']:.1f} | {result['rps']:.0f} "
        f"| {result['p50_ms']:.1f} | {result['p99_ms']:.1f} | {result['peak_rss_mib']:.0f} |",
    ]
