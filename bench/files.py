"""File transfers: uploading and downloading a 1 GiB file through the generated client (the kinds test
spec's `PutBlob`, a raw binary body from a path, and `GetManual`, a binary answer streamed to `out=`)
against raw httpx streaming the same bytes to and from the same loopback server (`bench.file_server`).

Each transfer runs in a process of its own, so its peak RSS is its own; the client's memory figure is that
peak minus the peak of an idle client process (imported, constructed, nothing sent). Rounds alternate the
order of client and httpx; the time figure is the median of the rounds. `--quick` moves 64 MiB.
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

from generator.pipeline import generate

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "tests" / "kind_specs" / "shapes.yaml"
MEMORY_TARGET_MIB = 64
TIME_TARGET = 1.2


def _child(out: Path, who: str, what: str, url: str, path: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(out)}
    proc = subprocess.run(
        [sys.executable, "-m", "bench._file_client", who, what, url, str(path)],
        cwd=ROOT, env={**env, "PYTHONPATH": f"{out}{os.pathsep}{ROOT}"}, capture_output=True, text=True,
        timeout=900, check=True,
    )
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _write(path: Path, size: int) -> None:
    chunk = os.urandom(1 << 20)
    with open(path, "wb") as out:
        for _ in range(size >> 20):
            out.write(chunk)


def run(quick: bool = False) -> dict[str, Any]:
    size = (64 if quick else 1024) << 20
    rounds = 1 if quick else 3
    with tempfile.TemporaryDirectory(prefix="opi-bench-files-") as work_dir:
        work = Path(work_dir)
        generate([SPEC], work / "out")
        source = work / "source.bin"
        _write(source, size)
        server = subprocess.Popen([sys.executable, "-m", "bench.file_server", str(size)], cwd=ROOT,
                                  stdout=subprocess.PIPE, text=True)
        try:
            assert server.stdout is not None
            url = f"http://127.0.0.1:{server.stdout.readline().strip()}"
            idle = {who: _child(work / "out", who, "idle", url, source)["peak_kib"] for who in ("client", "httpx")}
            runs: dict[str, list[dict[str, float]]] = {}
            for i in range(rounds):
                order = ("client", "httpx") if i % 2 == 0 else ("httpx", "client")
                for what in ("upload", "download"):
                    for who in order:
                        target = source if what == "upload" else work / f"{who}.bin"
                        runs.setdefault(f"{who} {what}", []).append(_child(work / "out", who, what, url, target))
                        if what == "download":
                            assert target.stat().st_size == size
                            target.unlink()
        finally:
            server.kill()
            server.wait(timeout=10)
    rows = []
    for what in ("upload", "download"):
        client, raw = runs[f"client {what}"], runs[f"httpx {what}"]
        rows.append({
            "transfer": what,
            "client_s": statistics.median(r["seconds"] for r in client),
            "httpx_s": statistics.median(r["seconds"] for r in raw),
            "client_extra_mib": (max(r["peak_kib"] for r in client) - idle["client"]) / 1024,
            "httpx_extra_mib": (max(r["peak_kib"] for r in raw) - idle["httpx"]) / 1024,
        })
    return {"size_mib": size >> 20, "rounds": rounds, "idle_kib": idle, "rows": rows}


def table(result: dict[str, Any]) -> list[str]:
    lines = [
        f"{result['size_mib']} MiB each way, median of {result['rounds']} round(s); memory is peak RSS over an "
        f"idle process (client idle: {result['idle_kib']['client'] / 1024:.0f} MiB).",
        "",
        "| transfer | client s | httpx s | ratio | client extra MiB | httpx extra MiB |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in result["rows"]:
        lines.append(f"| {r['transfer']} | {r['client_s']:.2f} | {r['httpx_s']:.2f} | "
                     f"{r['client_s'] / r['httpx_s']:.2f}x | {r['client_extra_mib']:.1f} | "
                     f"{r['httpx_extra_mib']:.1f} |")
    return lines


def checks(result: dict[str, Any]) -> list[dict[str, Any]]:
    from .report import check

    out = []
    for r in result["rows"]:
        what = f"{result['size_mib']} MiB {r['transfer']}"
        out.append(check(f"File {what}: client wall time vs raw httpx streaming", r["client_s"], r["httpx_s"],
                         "s", TIME_TARGET))
        out.append(check(f"File {what}: client peak RSS over an idle client", r["client_extra_mib"],
                         MEMORY_TARGET_MIB, "MiB", 1.0))
    return out
