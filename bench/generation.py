"""Generation benchmarks: full run vs openapi-python-client, scale 10 vs 100 providers, no-op rerun."""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from .synth import write_specs

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def _once(specs: Path, out: Path) -> dict[str, float]:
    proc = subprocess.run([PY, "-m", "bench._gen_once", str(specs), str(out)], cwd=ROOT, check=True,
                          capture_output=True, text=True)
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def full_vs_peer(work: Path, repeats: int) -> dict[str, Any]:
    """Ours (everything) vs openapi-python-client (a client per exported OpenAPI doc), interleaved."""
    peer = shutil.which("openapi-python-client", path=str(Path(PY).parent)) or shutil.which("openapi-python-client")
    ours, theirs = [], []
    openapi_dir = ROOT / "generated" / "openapi"
    docs = sorted(openapi_dir.glob("*.json"))
    for i in range(repeats):
        out = work / f"full{i}"
        ours.append(_timed([PY, "-m", "generator.cli", "generate", "--out", str(out)], ROOT))
        if peer and docs:
            peer_out = work / f"peer{i}"
            peer_out.mkdir()
            start = time.perf_counter()
            for doc in docs:
                subprocess.run([peer, "generate", "--path", str(doc), "--output-path", str(peer_out / doc.stem),
                                "--overwrite"], cwd=peer_out, check=True, capture_output=True)
            theirs.append(time.perf_counter() - start)
    row: dict[str, Any] = {"ours_s": statistics.median(ours), "runs": repeats}
    if theirs:
        row["peer_s"] = statistics.median(theirs)
        row["ratio"] = row["ours_s"] / row["peer_s"]
    else:
        row["peer_s"] = None
        row["ratio"] = None
    return row


def noop(work: Path, repeats: int) -> dict[str, Any]:
    out = work / "noop"
    full = [_timed([PY, "-m", "generator.cli", "generate", "--out", str(out / str(i))], ROOT) for i in range(repeats)]
    again = [_timed([PY, "-m", "generator.cli", "generate", "--out", str(out / str(i))], ROOT) for i in range(repeats)]
    return {"full_s": statistics.median(full), "noop_s": statistics.median(again),
            "ratio": statistics.median(again) / statistics.median(full), "runs": repeats}


def scale(work: Path, small: int, large: int, methods: int, repeats: int) -> dict[str, Any]:
    rows = {}
    for n in (small, large):
        specs = work / f"specs{n}"
        write_specs(specs, n, methods)
        runs = [_once(specs, work / f"out{n}-{i}") for i in range(repeats)]
        rows[n] = {"seconds": statistics.median(r["seconds"] for r in runs),
                   "peak_mib": statistics.median(r["peak_kib"] for r in runs) / 1024}
    return {
        "providers": [small, large], "methods": methods, "runs": repeats,
        "small_s": rows[small]["seconds"], "large_s": rows[large]["seconds"],
        "time_ratio": rows[large]["seconds"] / rows[small]["seconds"],
        "small_peak_mib": rows[small]["peak_mib"], "large_peak_mib": rows[large]["peak_mib"],
        "memory_ratio": rows[large]["peak_mib"] / rows[small]["peak_mib"],
    }


def run(quick: bool = False) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="opigen-bench-") as tmp:
        work = Path(tmp)
        return {
            "full_vs_peer": full_vs_peer(work, 1 if quick else 3),
            "noop": noop(work, 1 if quick else 3),
            "scale": scale(work, 10, 100, 20, 1 if quick else 2),
        }


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
