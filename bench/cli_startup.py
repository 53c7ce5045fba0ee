"""CLI start-up: `opi --help` and `opi cdek CreateCustomerRefund --help` against `python -c "import httpx"`.

The three commands run interleaved (one of each per round, so machine noise hits all alike) after a
warm-up round; the table shows the median wall time of each and its ratio to importing httpx. The
target is at most 1.3x: help must not import the HTTP client or the models.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent
TARGET = 1.3
METHOD_HELP = ["cdek", "CreateCustomerRefund", "--help"]


def _commands() -> dict[str, list[str]]:
    opi = str(BIN / "opi")
    return {
        'python -c "import httpx"': [sys.executable, "-c", "import httpx"],
        "opi --help": [opi, "--help"],
        "opi " + " ".join(METHOD_HELP): [opi, *METHOD_HELP],
    }


def _wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def run(quick: bool = False) -> dict[str, Any]:
    """Median wall time of each command over interleaved rounds, and its ratio to importing httpx."""
    rounds = 15 if quick else 21
    commands = _commands()
    for cmd in commands.values():  # warm-up: bytecode caches, page cache
        _wall(cmd)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, cmd in commands.items():
            times[name].append(_wall(cmd))
    medians = {name: statistics.median(values) for name, values in times.items()}
    base = medians['python -c "import httpx"']
    rows: list[dict[str, Any]] = [
        {"command": name, "median_ms": round(m * 1000, 1), "ratio": round(m / base, 2)}
        for name, m in medians.items()
    ]
    within = all(r["ratio"] <= TARGET for r in rows if r["command"].startswith("opi"))
    return {"rounds": rounds, "target": TARGET, "within_target": within, "rows": rows}


def table(result: dict[str, Any]) -> list[str]:
    lines = [
        f"Median wall time of {result['rounds']} interleaved runs each; target: `opi` help at most "
        f'{result["target"]}x `python -c "import httpx"`.',
        "",
        "| command | median ms | ratio | verdict |",
        "| --- | ---: | ---: | --- |",
    ]
    for row in result["rows"]:
        verdict = "" if not row["command"].startswith("opi") else "ok" if row["ratio"] <= TARGET else "OVER"
        lines.append(f"| `{row['command']}` | {row['median_ms']:.1f} | {row['ratio']:.2f}x | {verdict} |")
    return lines


def checks(result: dict[str, Any]) -> list[dict[str, Any]]:
    from .report import check

    rows = {r["command"]: r for r in result["rows"]}
    base = rows['python -c "import httpx"']["median_ms"]
    return [check(f"CLI start-up: `{name}` vs `python -c \"import httpx\"`", r["median_ms"], base, "ms",
                  TARGET) for name, r in rows.items() if name.startswith("opi")]


def main() -> int:
    result = run()
    print("\n".join(table(result)))
    return 0 if result["within_target"] else 1


if __name__ == "__main__":
    sys.exit(main())

