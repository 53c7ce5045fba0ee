"""`python -m bench [--quick] [suite ...]`: run the benchmarks, print the tables, write bench/out/report.md
and bench/out/report.json. Suites: generation (full run vs openapi-python-client, scale, no-op), client
(per-call overhead vs raw httpx), cli (CLI start-up), import (import time), load (async load run),
unions (parsing a discriminated union vs a plain model), paging (walking a long list vs a raw httpx loop),
webhooks (verifying and parsing a delivery vs hand-written hmac + json.loads),
files (1 GiB upload and download vs raw httpx: time and peak memory).
The first run creates bench/.venv with the pinned openapi-python-client (never in the project's venv)."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import cli_startup, client_overhead, files, generation, import_time, load, paging, unions, webhooks
from .report import summary_table

OUT = Path(__file__).resolve().parent / "out"

Result = dict[str, Any]
Suite = tuple[str, Callable[[bool], Result], Callable[[Result], list[str]], Callable[[Result], list[Result]]]
SUITES: dict[str, Suite] = {
    "generation": (
        "Generation: full run vs openapi-python-client, scale, no-op",
        generation.run,
        generation.table,
        generation.checks,
    ),
    "client": (
        "Per-call overhead: generated clients vs raw httpx (same loopback server)",
        client_overhead.run,
        client_overhead.table,
        client_overhead.checks,
    ),
    "cli": ("CLI start-up: help vs importing httpx", cli_startup.run, cli_startup.table, cli_startup.checks),
    "import": ("Import time", import_time.run, import_time.table, import_time.checks),
    "load": ("Load run: generated async client vs raw aiohttp and httpx (loopback server)", load.run, load.table, load.checks),
    "unions": ("Parsing a discriminated union vs one plain model", unions.run, unions.table, unions.checks),
    "paging": (
        "Pagination: walking 100,000 items in 1,000 pages vs a raw httpx loop; peak RSS vs 1,000 items",
        paging.run,
        paging.table,
        paging.checks,
    ),
    "webhooks": (
        "Webhooks: verify + typed parse vs hand-written HMAC check + json.loads",
        webhooks.run,
        webhooks.table,
        webhooks.checks,
    ),
    "files": ("File transfers: 1 GiB up and down, client vs raw httpx streaming", files.run, files.table,
              files.checks),
}


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("suites", nargs="*", help=f"suites to run: {', '.join(SUITES)} (default: all)")
    parser.add_argument("--quick", action="store_true", help="fewer rounds, for a smoke run")
    args = parser.parse_args(argv)
    chosen = args.suites or list(SUITES)
    unknown = [name for name in chosen if name not in SUITES]
    if unknown:
        parser.error(f"unknown suite {', '.join(unknown)}; known: {', '.join(SUITES)}")
    begun = time.perf_counter()
    machine = f"{cpu_model()}, {os.cpu_count()} cores, {platform.platform()}"
    report: dict[str, Any] = {"python": sys.version.split()[0], "machine": machine, "quick": args.quick,
                              "suites": {}, "checks": []}
    print(f"Python {report['python']} on {machine}", flush=True)
    sections: list[str] = []
    for name in chosen:
        title, run, table, checks = SUITES[name]
        started = time.perf_counter()
        result = run(args.quick)
        result["seconds"] = round(time.perf_counter() - started, 1)
        report["suites"][name] = result
        report["checks"] += checks(result)
        section = [f"## {title}", "", *table(result), "", f"({result['seconds']} s)", ""]
        print("\n".join(section), flush=True)
        sections += section
    report["total_seconds"] = round(time.perf_counter() - begun, 1)
    missed = [c for c in report["checks"] if not c["pass"]]
    summary = [
        "# Benchmarks",
        "",
        f"Python {report['python']} on {machine}; `python -m bench{' --quick' if args.quick else ''}` took "
        f"{report['total_seconds']} s. {len(report['checks']) - len(missed)} of {len(report['checks'])} "
        "targets met.",
        "",
        *summary_table(report["checks"]),
        "",
    ]
    print("\n".join(summary), flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (OUT / "report.md").write_text("\n".join(summary + sections), encoding="utf-8")
    print(f"wrote {OUT / 'report.md'} and {OUT / 'report.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
