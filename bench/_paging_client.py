"""`python -m bench._paging_client OUT URL MODE ITEMS SIZE`: walk ITEMS notes in pages of SIZE, either with the
generated iterator (`iter`, OUT holds the generated test spec's package) or a hand-written raw httpx loop
(`raw`); prints one JSON line: items seen, seconds (the walk only, after the imports), peak RSS in KiB."""

from __future__ import annotations

import json
import resource
import sys
import time
from typing import Any


def raw(url: str, items: int, size: int) -> int:
    import httpx

    seen = 0
    with httpx.Client(base_url=url, headers={"Authorization": "Bearer t"}) as client:
        params: dict[str, Any] = {"limit": size}
        while seen < items:
            answer = client.get("/cursor/notes", params=params)
            answer.raise_for_status()
            page = json.loads(answer.content)
            for _item in page["items"]:
                seen += 1
            cursor = page.get("next_cursor")
            if not cursor or not page["items"]:
                break
            params = {"limit": size, "cursor": cursor}
    return seen


def prepare(out: str) -> None:
    """Imports before the clock starts: the walk is measured, not the start-up."""
    import importlib

    import httpx  # noqa: F401

    opi = importlib.import_module("opi")
    opi.__path__.insert(0, f"{out}/opi")  # the freshly generated package and its runtime
    importlib.import_module("opi.xpages")
    importlib.import_module("opi.xpages.models")  # the client imports its models on first use


def walk(out: str, url: str, items: int, size: int) -> int:
    from opi.xpages import Client  # type: ignore[import-not-found]

    seen = 0
    with Client(token="t", base_url=url) as client:
        for _item in client.iter_list_by_cursor(limit=size, max_items=items):
            seen += 1
    return seen


def main() -> None:
    out, url, mode, items, size = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    prepare(out)  # both modes: the same imports before the clock starts
    started = time.perf_counter()
    seen = raw(url, items, size) if mode == "raw" else walk(out, url, items, size)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"items": seen, "seconds": seconds, "peak_kib": peak}))


if __name__ == "__main__":
    main()
