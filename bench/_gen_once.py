"""One generation in a fresh process: prints {"seconds": wall time, "peak_kib": max RSS} as JSON."""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from generator.pipeline import generate


def main() -> None:
    specs, out = Path(sys.argv[1]), Path(sys.argv[2])
    start = time.perf_counter()
    generate([specs], out)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_kib": peak}))


if __name__ == "__main__":
    main()
