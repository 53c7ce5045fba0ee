"""Per-call cost of the generated clients against raw httpx calls to the same loopback server.

Every method of every provider is called with its spec example, sync and async, by the generated client
and by hand-written httpx code that sends the same request (method, URL, query, headers, body) and parses
the JSON answer. Both run against one `bench.loopback` server process in the same run, interleaved in
batches (the order flips every round so drift hits both alike); the figure per case is the median of the
batches' per-call times. Wall time is the measure the target applies to; the client process's CPU time
per call is shown beside it because it is steadier on a busy machine (the server's CPU is not in it).
OAuth clients are given a token, so this measures steady state, not token fetches.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import math
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from generator.ir import Location, Method, Provider
from generator.kinds import ANSWERS
from generator.pipeline import load_providers

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1.05  # issue 21: at most 1.05x raw httpx per call
Times = dict[str, list[float]]  # raw, gen, raw_cpu, gen_cpu: seconds per call, one value per batch


@dataclass
class Case:
    provider: Provider
    method: Method
    kwargs: dict[str, Any]
    verb: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json_body: Any
    form_body: dict[str, str] | None


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value)


def credentials(p: Provider) -> dict[str, str]:
    return {i.name: f"bench-{i.name}-value" for i in p.client_inputs}


def _auth_headers(p: Provider, m: Method, creds: dict[str, str]) -> dict[str, str]:
    import base64

    headers: dict[str, str] = {}
    schemes = {s.name: s for s in p.schemes}
    for name in m.auth[0] if m.auth else ():
        scheme = schemes[name]
        values = [creds[i.name] for i in scheme.inputs]
        if scheme.kind == "basic":
            headers["Authorization"] = (
                "Basic " + base64.b64encode(f"{values[0]}:{values[1]}".encode()).decode()
            )
        elif scheme.kind == "api_key":
            headers[scheme.header or ""] = scheme.prefix + values[0]
        else:
            headers["Authorization"] = "Bearer " + values[0]
    return headers


def cases() -> list[Case]:
    out = []
    for p in load_providers([ROOT / "specs"]):
        creds = credentials(p)
        for m in p.methods:
            left_out = m.example_leaves_out()  # a call that keeps the method's rules across parameters
            kwargs = {
                q.py_name: creds.get(q.py_name, q.example)
                for q in m.parameters
                if not q.is_const and q.py_name not in left_out
            }
            path, query, body = m.path, {}, {}
            for q in m.parameters:
                value = q.const if q.is_const else kwargs.get(q.py_name)
                if value is None:
                    continue
                if q.location is Location.PATH:
                    path = path.replace("{" + q.wire + "}", _text(value))
                elif q.location is Location.QUERY:
                    query[q.wire] = _text(value)
                elif q.location is Location.BODY:
                    body[q.wire] = value
            headers = {h.name: h.value for h in p.headers} | _auth_headers(p, m, creds)
            form = m.body_content is not None and m.body_content == "form"
            out.append(
                Case(
                    p,
                    m,
                    kwargs,
                    m.http_method,
                    path,
                    query,
                    headers,
                    body if m.body_content is not None and not form else None,
                    {k: _text(v) for k, v in body.items()} if form else None,
                )
            )
    return out


def _routes(all_cases: list[Case]) -> dict[str, tuple[int, dict[str, str], str]]:
    routes = {}
    for case in all_cases:
        success = case.method.success
        # A file answer comes with its declared media type: JSON under 2xx is a file method's error.
        kind = ANSWERS[success.content]
        media = () if kind.needs_schema else kind.media_types(success.media_type)
        headers = {"content-type": media[0] if media and "json" not in media[0] else "application/json"}
        headers |= {h.name: _text(h.example) for h in success.headers if h.example is not None}
        routes[f"{case.verb} {case.path}"] = (success.status, headers, json.dumps(success.example))
    return routes


@contextmanager
def loopback(all_cases: list[Case]) -> Iterator[str]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(_routes(all_cases), handle)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.loopback", handle.name], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.kill()
        proc.wait(timeout=10)
        Path(handle.name).unlink(missing_ok=True)


def _raw_kwargs(case: Case, url: str) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"headers": case.headers}
    if case.query:
        kwargs["params"] = case.query
    if case.json_body is not None:
        kwargs["json"] = case.json_body
    if case.form_body is not None:
        kwargs["data"] = case.form_body
    return kwargs


def _sync_pair(
    case: Case, url: str, http: httpx.Client, client: Any
) -> tuple[Callable[[], Any], Callable[[], Any]]:
    target = url + case.path
    options = _raw_kwargs(case, url)
    bound = getattr(client, case.method.py_name)

    def raw() -> Any:
        response = http.request(case.verb, target, **options)
        if response.status_code >= 400:
            raise RuntimeError(response.status_code)
        return response.json()

    def generated() -> Any:
        return bound(**case.kwargs)

    return raw, generated


def _async_pair(
    case: Case, url: str, http: httpx.AsyncClient, client: Any
) -> tuple[Callable[[], Awaitable[Any]], Callable[[], Awaitable[Any]]]:
    target = url + case.path
    options = _raw_kwargs(case, url)
    bound = getattr(client, case.method.py_name)

    async def raw() -> Any:
        response = await http.request(case.verb, target, **options)
        if response.status_code >= 400:
            raise RuntimeError(response.status_code)
        return response.json()

    async def generated() -> Any:
        return await bound(**case.kwargs)

    return raw, generated


def _sync_batches(raw: Callable[[], Any], gen: Callable[[], Any], rounds: int, batch: int) -> Times:
    for _ in range(batch):
        raw()
        gen()
    times: Times = {"raw": [], "gen": [], "raw_cpu": [], "gen_cpu": []}
    for r in range(rounds):
        order = [("raw", raw), ("gen", gen)] if r % 2 == 0 else [("gen", gen), ("raw", raw)]
        for name, fn in order:
            cpu, start = time.process_time(), time.perf_counter()
            for _ in range(batch):
                fn()
            times[name].append((time.perf_counter() - start) / batch)
            times[name + "_cpu"].append((time.process_time() - cpu) / batch)
    return times


async def _async_batches(
    raw: Callable[[], Awaitable[Any]], gen: Callable[[], Awaitable[Any]], rounds: int, batch: int
) -> Times:
    for _ in range(batch):
        await raw()
        await gen()
    times: Times = {"raw": [], "gen": [], "raw_cpu": [], "gen_cpu": []}
    for r in range(rounds):
        order = [("raw", raw), ("gen", gen)] if r % 2 == 0 else [("gen", gen), ("raw", raw)]
        for name, fn in order:
            cpu, start = time.process_time(), time.perf_counter()
            for _ in range(batch):
                await fn()
            times[name].append((time.perf_counter() - start) / batch)
            times[name + "_cpu"].append((time.process_time() - cpu) / batch)
    return times


def _row(case: Case, mode: str, times: Times) -> dict[str, Any]:
    us = {name: statistics.median(values) * 1e6 for name, values in times.items()}
    return {
        "provider": case.provider.alias,
        "method": case.method.name,
        "mode": mode,
        "raw_us": round(us["raw"], 1),
        "generated_us": round(us["gen"], 1),
        "ratio": round(us["gen"] / us["raw"], 3),
        "raw_cpu_us": round(us["raw_cpu"], 1),
        "generated_cpu_us": round(us["gen_cpu"], 1),
        "cpu_ratio": round(us["gen_cpu"] / us["raw_cpu"], 3),
    }


def _client_options(case: Case, url: str) -> dict[str, Any]:
    return {"base_url": url, **credentials(case.provider)}


def validation_cost(case: Case, runs: int) -> float | None:
    """Microseconds the generated response model takes to validate the example answer, as each call does
    (`model_validate_json` on the body), or None when the method returns no model."""
    name = case.method.success.model
    if name is None:
        return None
    model = getattr(importlib.import_module(f"opi.{case.provider.alias}.models"), name)
    body = json.dumps(case.method.success.example).encode()
    best = math.inf
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(runs):
            model.model_validate_json(body)
        best = min(best, (time.perf_counter() - start) / runs)
    return round(best * 1e6, 1)


def run(quick: bool = False) -> dict[str, Any]:
    rounds, batch = (5, 20) if quick else (12, 30)
    all_cases = cases()
    rows: list[dict[str, Any]] = []
    with loopback(all_cases) as url:
        with httpx.Client(timeout=30.0) as http:
            for case in all_cases:
                pkg = importlib.import_module(f"opi.{case.provider.alias}")
                with pkg.Client(**_client_options(case, url)) as client:
                    raw, gen = _sync_pair(case, url, http, client)
                    rows.append(_row(case, "sync", _sync_batches(raw, gen, rounds, batch)))

        async def run_async() -> None:
            async with httpx.AsyncClient(timeout=30.0) as http:
                for case in all_cases:
                    pkg = importlib.import_module(f"opi.{case.provider.alias}")
                    async with pkg.AsyncClient(**_client_options(case, url)) as client:
                        raw, gen = _async_pair(case, url, http, client)
                        rows.append(_row(case, "async", await _async_batches(raw, gen, rounds, batch)))

        asyncio.run(run_async())
    for row, case in zip(rows, all_cases + all_cases, strict=True):
        row["validate_us"] = validation_cost(case, 200)
    summary = {}
    for mode in ("sync", "async"):
        mine = [r for r in rows if r["mode"] == mode]
        summary[mode] = {
            "geomean_ratio": _geomean([r["ratio"] for r in mine]),
            "worst_ratio": max(r["ratio"] for r in mine),
            "geomean_cpu_ratio": _geomean([r["cpu_ratio"] for r in mine]),
            "median_overhead_us": round(statistics.median(r["generated_us"] - r["raw_us"] for r in mine), 1),
            "median_cpu_overhead_us": round(
                statistics.median(r["generated_cpu_us"] - r["raw_cpu_us"] for r in mine), 1
            ),
            "raw_geomean_us": _geomean([r["raw_us"] for r in mine]),
            "generated_geomean_us": _geomean([r["generated_us"] for r in mine]),
            "median_validate_us": statistics.median(r["validate_us"] or 0.0 for r in mine),
            "median_validate_share": round(
                statistics.median((r["validate_us"] or 0.0) / r["generated_us"] for r in mine), 4
            ),
            "methods": len(mine),
        }
    return {"target": TARGET, "rounds": rounds, "batch": batch, "rows": rows, "summary": summary}


def _geomean(values: list[float]) -> float:
    return round(math.exp(statistics.fmean(math.log(v) for v in values)), 3)


def table(result: dict[str, Any]) -> list[str]:
    lines = [
        "| Provider | Method | Mode | raw httpx µs | generated µs | ratio | raw CPU µs | generated CPU µs "
        "| CPU ratio | model validation µs |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r['provider']} | {r['method']} | {r['mode']} | {r['raw_us']} | {r['generated_us']} | "
        f"{r['ratio']:.3f} | {r['raw_cpu_us']} | {r['generated_cpu_us']} | {r['cpu_ratio']:.3f} "
        f"| {r['validate_us'] if r['validate_us'] is not None else '-'} |"
        for r in result["rows"]
    ]
    lines.append("")
    for mode, s in result["summary"].items():
        verdict = "meets" if s["geomean_ratio"] <= result["target"] else "misses"
        lines.append(
            f"- {mode}: wall-time ratio (geometric mean over methods) **{s['geomean_ratio']:.3f}** "
            f"({verdict} the {result['target']:.2f}x target), worst method {s['worst_ratio']:.3f}; "
            f"CPU ratio {s['geomean_cpu_ratio']:.3f}; median overhead {s['median_overhead_us']} µs "
            f"wall, {s['median_cpu_overhead_us']} µs CPU per call; response model validation "
            f"(`model_validate_json` of the example) median {s['median_validate_us']} µs, "
            f"{s['median_validate_share'] * 100:.1f}% of the generated call"
        )
    return lines


def checks(result: dict[str, Any]) -> list[dict[str, Any]]:
    from .report import check

    return [
        check(f"Per-call wall time, {mode} generated client vs raw httpx", s["generated_geomean_us"],
              s["raw_geomean_us"], "µs", result["target"],
              f"geomean of {s['methods']} methods, worst {s['worst_ratio']:.2f}x; model validation "
              f"{s['median_validate_us']} µs = {s['median_validate_share'] * 100:.1f}% of a call")
        for mode, s in result["summary"].items()
    ]
