"""Load run: the generated async client on each transport beside raw aiohttp and raw httpx, in one run.

Every client runs in its own process (`bench._load_client`) with a pool of C connections and retries off,
at C = 20 and C = 200, against the same server: `bench.loopback` (asyncio, its own process) answering one
read method (a GET) of a real provider spec with the answer `opigen mock` gives for it (fetched once at the
start). The raw clients send the same request as the generated one (its headers and credentials). The
contract server validates every request and would be the bottleneck; the loopback server's
CPU per request and its busy share of the run are reported, to show that it is not. The aiohttp rows (raw, generated) alternate in ROUNDS rounds of REQUESTS / ROUNDS requests and report
the median rounds; httpx's pool is slower, so its rows send fewer requests (one round). Zero errors is
required of every row.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from .client_overhead import Case, _auth_headers, cases, credentials

ROOT = Path(__file__).resolve().parent.parent
OPIGEN = str(Path(sys.executable).parent / "opigen")
REQUESTS, HTTPX_REQUESTS, ROUNDS = 10_000, 3_000, 3
CONCURRENCIES = (20, 200)
FAST, SLOW = ("raw-aiohttp", "opi-aiohttp"), ("raw-httpx", "opi-httpx")
LABELS = {"raw-aiohttp": "raw aiohttp", "opi-aiohttp": "generated AsyncClient (default: aiohttp)",
          "raw-httpx": "raw httpx", "opi-httpx": "generated AsyncClient (transport=httpx)"}
TICKS = os.sysconf("SC_CLK_TCK")


def _read_case() -> Case:
    """The first GET method (providers by alias) whose auth needs no token fetch."""
    for case in cases():
        schemes = {s.name: s for s in case.provider.schemes}
        kinds = {schemes[n].kind for alt in case.method.auth for n in alt}
        if case.verb == "GET" and "oauth2" not in kinds:
            return case
    raise RuntimeError("no GET method without OAuth in the specs")


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


class Server:
    """A server process that prints its address on its first line."""

    def __init__(self, args: list[str]) -> None:
        self.proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self.proc.stdout is not None
        self.first_line = self.proc.stdout.readline().split()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


def _answer(case: Case) -> tuple[int, str, str]:
    """The contract server's answer to the case's request: status, content type, body."""
    import httpx

    server = Server([OPIGEN, "mock", case.provider.alias, "--port", "0", "--specs", str(ROOT / "specs")])
    try:
        _, url = server.first_line
        headers = {**case.headers, **_auth_headers(case.provider, case.method, credentials(case.provider))}
        response = httpx.get(url + case.path, params=case.query, headers=headers, timeout=30.0)
        response.raise_for_status()
        return response.status_code, response.headers["content-type"], response.text
    finally:
        server.stop()


def _client(cfg: dict[str, Any]) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(cfg, handle)
    try:
        proc = subprocess.run([sys.executable, "-m", "bench._load_client", handle.name], cwd=ROOT,
                              capture_output=True, text=True, timeout=300, check=True)
    finally:
        Path(handle.name).unlink(missing_ok=True)
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _measure(server: Server, cfg: dict[str, Any]) -> dict[str, Any]:
    before = _cpu(server.proc.pid)
    result = _client(cfg)
    used = _cpu(server.proc.pid) - before
    result["server_us"] = used / max(result["requests"], 1) * 1e6
    result["server_busy"] = used / result["seconds"]
    return result


def _merge(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """The rounds of one row: counts summed, rates and times their medians."""
    out = {k: statistics.median(r[k] for r in rounds)
           for k in ("rps", "cpu_us", "p50_ms", "p99_ms", "server_us", "server_busy", "peak_rss_mib")}
    out["requests"] = sum(r["requests"] for r in rounds)
    out["errors"] = sum(r["errors"] for r in rounds)
    kinds: dict[str, int] = {}
    for r in rounds:
        for k, v in r["error_kinds"].items():
            kinds[k] = kinds.get(k, 0) + v
    out["error_kinds"], out["rounds"] = kinds, len(rounds)
    return out


def run(quick: bool = False) -> dict[str, Any]:
    total, slow_total = (2_000, 600) if quick else (REQUESTS, HTTPX_REQUESTS)
    case = _read_case()
    p = case.provider
    status, content_type, body = _answer(case)
    routes = {f"GET {case.path}": [status, {"content-type": content_type}, body]}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(routes, handle)
    server = Server([sys.executable, "-m", "bench.loopback", handle.name])
    rows: dict[str, dict[str, Any]] = {}
    try:
        url = f"http://127.0.0.1:{server.first_line[0]}"
        target = url + case.path + (f"?{urlencode(case.query)}" if case.query else "")
        # The raw clients send the request the generated one sends: its headers, credentials included.
        headers = {**case.headers, **_auth_headers(p, case.method, credentials(p))}
        base = {"alias": p.alias, "url": url, "target": target, "headers": headers, "method": case.method.py_name,
                "kwargs": case.kwargs, "credentials": credentials(p), "deadline": 240.0}
        for concurrency in CONCURRENCIES:
            rounds: dict[str, list[dict[str, Any]]] = {mode: [] for mode in FAST}
            per_round = -(-total // ROUNDS)
            for _ in range(ROUNDS):  # alternating, so that the machine's noise hits both alike
                for mode in FAST:
                    rounds[mode].append(_measure(server, {**base, "mode": mode, "requests": per_round,
                                                          "concurrency": concurrency}))
            for mode in FAST:
                rows[f"{mode}@{concurrency}"] = _merge(rounds[mode])
            for mode in SLOW:
                rows[f"{mode}@{concurrency}"] = _merge([_measure(server, {**base, "mode": mode,
                                                        "requests": slow_total, "concurrency": concurrency})])
    finally:
        server.stop()
        Path(handle.name).unlink(missing_ok=True)
    return {"provider": p.alias, "method": case.method.name, "http": f"{case.verb} {case.method.path}",
            "planned": total, "planned_httpx": slow_total, "rows": rows}


def checks(result: dict[str, Any]) -> list[dict[str, Any]]:
    from .report import check

    out = []
    for concurrency in CONCURRENCIES:
        ours, raw = result["rows"][f"opi-aiohttp@{concurrency}"], result["rows"][f"raw-aiohttp@{concurrency}"]
        # requests/s is better when higher: the ratio compared is raw / ours, at most 1 / 0.8 = 1.25.
        row = check(f"Load: time per request, generated async client vs raw aiohttp, concurrency {concurrency}",
                    1 / ours["rps"], 1 / raw["rps"], "s", 1.25,
                    f"{ours['rps']:.0f} vs {raw['rps']:.0f} requests/s = {ours['rps'] / raw['rps']:.2f}x")
        out.append(row)
        errors = check(f"Load: errors, generated async client, {ours['requests']:,} requests at concurrency "
                       f"{concurrency}", float(ours["errors"]), float(ours["requests"]), "requests", 0.0,
                       f"{ours['rps']:.0f} requests/s, client peak RSS {ours['peak_rss_mib']:.0f} MiB")
        errors["pass"] = ours["errors"] == 0 and ours["requests"] >= result["planned"]
        out.append(errors)
    return out


def table(result: dict[str, Any]) -> list[str]:
    lines = [
        f"`{result['provider']}` {result['method']} (`{result['http']}`); server: `bench.loopback` with the "
        f"contract server's answer. aiohttp rows: {result['planned']:,} requests in {ROUNDS} alternating rounds "
        f"(medians); httpx rows: {result['planned_httpx']:,} requests. Pool = concurrency; retries off.",
        "",
        "| concurrency | client | requests | errors | requests/s | vs raw aiohttp | p50 ms | p99 ms "
        "| client CPU µs/req | server CPU µs/req | server busy | client peak RSS MiB |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for concurrency in CONCURRENCIES:
        raw = result["rows"][f"raw-aiohttp@{concurrency}"]["rps"]
        for mode in (*FAST, *SLOW):
            r = result["rows"][f"{mode}@{concurrency}"]
            kinds = ", ".join(f"{k}: {v}" for k, v in r["error_kinds"].items())
            lines.append(
                f"| {concurrency} | {LABELS[mode]} | {r['requests']:,} | {r['errors']}{f' ({kinds})' if kinds else ''} "
                f"| {r['rps']:.0f} | {r['rps'] / raw:.2f}x | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} "
                f"| {r['cpu_us']:.0f} | {r['server_us']:.0f} | {r['server_busy']:.0%} | {r['peak_rss_mib']:.0f} |"
            )
    return lines
