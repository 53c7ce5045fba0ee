"""One generation in a fresh process. Prints JSON: wall seconds, peak RSS of this process and of its
children (ruff), and every process it started, seen through audit hooks, so the report can show that
the whole run is one process whatever the number of specs."""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

SPAWNS = ("subprocess.Popen", "os.fork", "os.forkpty", "os.posix_spawn", "os.spawn", "os.system", "os.exec")


def main() -> None:
    specs, out = Path(sys.argv[1]), Path(sys.argv[2])
    started: list[str] = []

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event in SPAWNS:
            argv = args[1] if event == "subprocess.Popen" and len(args) > 1 else args
            words = [Path(str(a)).name if i == 0 else str(a) for i, a in enumerate(argv or [])][:2]
            started.append(" ".join(words) or event)

    sys.addaudithook(hook)
    from generator.pipeline import generate

    start = time.perf_counter()
    generate([specs], out)
    seconds = time.perf_counter() - start
    print(json.dumps({
        "seconds": seconds,
        "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "children_peak_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        "processes": started,
    }))


if __name__ == "__main__":
    main()
