"""`python -m bench [--quick] [suite ...]`: run the benchmarks, print the tables, write bench/out/report.md
and bench/out/report.json. Suites: client (per-call overhead vs raw httpx), import (import time),
cli (CLI start-up)."""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import cli_startup, client_overhead, import_time

OUT = Path(__file__).resolve().parent / "out"

Suite = tuple[str, Callable[[bool], dict[str, Any]], Callable[[dict[str, Any]], list[str]]]
SUITES: dict[str, Suite] = {
    "client": (
        "Per-call overhead: generated clients vs raw httpx (same loopback server)",
        client_overhead.run,
        client_overhead.table,
    ),
    "import": ("Import time", import_time.run, import_time.table),
    "cli": ("CLI start-up: help vs importing httpx", cli_startup.run, cli_startup.table),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("suites", nargs="*", help=f"suites to run: {', '.join(SUITES)} (default: all)")
    parser.add_argument("--quick", action="store_true", help="fewer rounds, for a smoke run")
    args = parser.parse_args(argv)
    chosen = args.suites or list(SUITES)
    unknown = [name for name in chosen if name not in SUITES]
    if unknown:
        parser.error(f"unknown suite {', '.join(unknown)}; known: {', '.join(SUITES)}")
    report: dict[str, Any] = {"python": sys.version.split()[0], "machine": platform.platform(), "suites": {}}
    lines = ["# Benchmarks", "", f"Python {report['python']} on {report['machine']}.", ""]
    for name in chosen:
        title, run, table = SUITES[name]
        started = time.perf_counter()
        result = run(args.quick)
        result["seconds"] = round(time.perf_counter() - started, 1)
        report["suites"][name] = result
        section = [f"## {title}", "", *table(result), "", f"({result['seconds']} s)", ""]
        print("\n".join(section), flush=True)
        lines += section
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (OUT / "report.md").write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {OUT / 'report.md'} and {OUT / 'report.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
