"""Walking a long list: the generated iterator over 100,000 items in 1,000 pages, against 1,000 items (peak RSS)
and against a hand-written raw httpx loop over the same pages (time per item).

The test spec tests/paging_specs/xpages.yaml is generated into a temporary folder; a loopback server
(`_paging_server`) holds 1,000 cursor pages of 100 notes. Each walk runs in its own process
(`_paging_client`), so its peak RSS is its own; the iterator and raw runs alternate, and each time is the
median of the rounds. Targets: peak RSS at 100,000 items within 32 MiB of the peak at 1,000 items; time per
item within 1.2x of the raw loop's.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from .report import check

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "tests" / "paging_specs" / "xpages.yaml"
PAGES, SIZE = 1_000, 100
RSS_TARGET_MIB = 32
TIME_TARGET = 1.2


def _child(out: Path, url: str, mode: str, items: int) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "bench._paging_client", str(out), url, mode, str(items), str(SIZE)],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=True,
    )
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    if result["items"] != items:
        raise RuntimeError(f"{mode}: walked {result['items']} items, expected {items}")
    return result


def run(quick: bool = False) -> dict[str, Any]:
    from generator.pipeline import generate

    rounds = 1 if quick else 3
    total = PAGES * SIZE
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "out"
        generate([SPEC], out)
        server = subprocess.Popen([sys.executable, "-m", "bench._paging_server", str(PAGES), str(SIZE)],
                                  cwd=ROOT, stdout=subprocess.PIPE, text=True)
        try:
            assert server.stdout is not None
            url = f"http://127.0.0.1:{int(server.stdout.readline())}"
            small = _child(out, url, "iter", SIZE * 10)
            runs: dict[str, list[dict[str, Any]]] = {"iter": [], "raw": []}
            for i in range(rounds):
                for mode in ("iter", "raw") if i % 2 == 0 else ("raw", "iter"):
                    runs[mode].append(_child(out, url, mode, total))
        finally:
            server.terminate()
            server.wait(timeout=10)
    per_item = {m: statistics.median(r["seconds"] for r in rs) / total * 1e6 for m, rs in runs.items()}
    big_rss = max(r["peak_kib"] for r in runs["iter"]) / 1024
    return {
        "items": total, "pages": PAGES, "rounds": rounds,
        "us_per_item": {m: round(v, 3) for m, v in per_item.items()},
        "rss_mib": {"small": round(small["peak_kib"] / 1024, 1), "large": round(big_rss, 1)},
        "rss_growth_mib": round(big_rss - small["peak_kib"] / 1024, 1),
        "rss_target_mib": RSS_TARGET_MIB, "time_target": TIME_TARGET,
    }


def table(result: dict[str, Any]) -> list[str]:
    us, rss = result["us_per_item"], result["rss_mib"]
    return [
        f"| Walk {result['items']:,} items in {result['pages']:,} pages | µs per item | peak RSS, MiB |",
        "|---|---:|---:|",
        f"| generated `iter_list_by_cursor` | {us['iter']} | {rss['large']} |",
        f"| hand-written raw httpx loop | {us['raw']} | |",
        f"| generated iterator, {SIZE * 10:,} items | | {rss['small']} |",
        "",
        f"- time per item {us['iter'] / us['raw']:.3f}x the raw loop's (target {result['time_target']}x); "
        f"peak RSS grows {result['rss_growth_mib']} MiB from 1,000 to {result['items']:,} items (target "
        f"{result['rss_target_mib']} MiB); medians of {result['rounds']} alternating rounds",
    ]


def checks(result: dict[str, Any]) -> list[dict[str, Any]]:
    us = result["us_per_item"]
    growth = max(result["rss_growth_mib"], 0.0)
    return [
        check(f"iterate {result['items']:,} items in {result['pages']:,} pages vs raw httpx loop", us["iter"],
              us["raw"], "µs/item", result["time_target"]),
        check(f"peak RSS growth, {result['items']:,} vs 1,000 items, vs {result['rss_target_mib']} MiB", growth,
              float(result["rss_target_mib"]), "MiB", 1.0),
    ]
