"""Import time of each generated provider package against `import httpx, pydantic`.

Each figure is the median of fresh interpreters, interleaved so that machine noise hits all alike, with
bytecode caches warm (as after `pip install`, which compiles them). `import opi.<alias>` loads the clients
and the exceptions; the models load on first use, reported separately as "+ models".
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from generator.pipeline import load_providers

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1.2
BASELINE = "import httpx, pydantic"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # timing imports, not compiling them
    env["PYTHONPATH"] = str(ROOT / "generated")
    return env


def _once(code: str, env: dict[str, str]) -> float:
    program = f"import time; t = time.perf_counter(); {code}; print(time.perf_counter() - t)"
    proc = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT / "bench",
        check=True,
    )
    return float(proc.stdout.strip().splitlines()[-1])


def run(quick: bool = False) -> dict[str, Any]:
    runs = 5 if quick else 7
    aliases = [p.alias for p in load_providers([ROOT / "specs"])]
    codes = {"baseline": BASELINE}
    for alias in aliases:
        codes[alias] = f"import opi.{alias}"
        codes[f"{alias} + models"] = f"import opi.{alias}.models"
    env = _env()
    for code in codes.values():
        _once(code, env)  # writes the bytecode caches
    times: dict[str, list[float]] = {name: [] for name in codes}
    for _ in range(runs):
        for name, code in codes.items():
            times[name].append(_once(code, env))
    base = statistics.median(times["baseline"])
    rows: list[dict[str, Any]] = [
        {
            "import": codes[name],
            "ms": round(statistics.median(t) * 1000, 1),
            "ratio": round(statistics.median(t) / base, 3),
        }
        for name, t in times.items()
    ]
    worst = max(
        r["ratio"] for r in rows if r["import"].startswith("import opi.") and "models" not in r["import"]
    )
    return {"target": TARGET, "runs": runs, "rows": rows, "worst_ratio": worst}


def table(result: dict[str, Any]) -> list[str]:
    lines = ["| Import | ms | vs `import httpx, pydantic` |", "|---|---:|---:|"]
    lines += [f"| `{r['import']}` | {r['ms']} | {r['ratio']:.3f} |" for r in result["rows"]]
    verdict = "meets" if result["worst_ratio"] <= result["target"] else "misses"
    lines += [
        "",
        f"- worst `import opi.<provider>`: **{result['worst_ratio']:.3f}x** ({verdict} the "
        f"{result['target']:.1f}x target); the models load on first use (the `.models` rows)",
    ]
    return lines


def checks(result: dict[str, Any]) -> list[dict[str, Any]]:
    from .report import check

    base = next(r["ms"] for r in result["rows"] if r["import"] == BASELINE)
    return [check(f"`{r['import']}` vs `{BASELINE}`", r["ms"], base, "ms", TARGET) for r in result["rows"]
            if r["import"].startswith("import opi.") and "models" not in r["import"]]
