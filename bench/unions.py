"""Parsing a discriminated union against parsing one plain model.

The test spec tests/union_specs/shapes.yaml is generated into a temporary folder. Two pairs, each parsed from
the same JSON bytes: 10,000 blocks (text, image and divider, in turn) as `list[Block]` (the discriminated union
of three models) and as `list[FlatBlock]` (one model holding every field); and 10,000 text blocks as
`list[Block]` and as `list[TextBlock]` (the variant's own model, so the difference is the union's dispatch).
The parses are interleaved, the order flipping every round; each figure is the median of the rounds. The
target applies to the larger of the two ratios.
"""

from __future__ import annotations

import gc
import importlib
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from .report import check

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "tests" / "union_specs" / "shapes.yaml"
TARGET = 1.5
ITEMS = 10_000


def _items(count: int) -> bytes:
    shapes = [
        {"type": "text", "text": "Hello", "bold": True},
        {"type": "image", "url": "https://img.example.com/a.png", "width": 640},
        {"type": "divider"},
    ]
    return json.dumps([shapes[i % 3] for i in range(count)]).encode()


def _texts(count: int) -> bytes:
    return json.dumps([{"type": "text", "text": f"Paragraph {i}", "bold": i % 2 == 0} for i in range(count)]).encode()


def run(quick: bool = False) -> dict[str, Any]:
    from pydantic import TypeAdapter

    from generator.pipeline import generate

    rounds = 5 if quick else 15
    with tempfile.TemporaryDirectory() as work:
        generate([SPEC], Path(work) / "out")
        opi: Any = importlib.import_module("opi")  # the installed package; the test spec's joins it here
        opi.__path__.append(str(Path(work) / "out" / "opi"))
        try:
            models: Any = importlib.import_module("opi.shapes.models")
            union: TypeAdapter[Any] = TypeAdapter(list[models.Block])
            plain: TypeAdapter[Any] = TypeAdapter(list[models.FlatBlock])
            mixed, texts = _items(ITEMS), _texts(ITEMS)
            kinds = {type(b).__name__ for b in union.validate_json(mixed)}
            assert kinds == {"TextBlock", "ImageBlock", "DividerBlock"}, kinds
            cases = {"union": (union, mixed), "plain": (plain, mixed), "union_text": (union, texts),
                     "text": (TypeAdapter(list[models.TextBlock]), texts)}
            times: dict[str, list[float]] = {name: [] for name in cases}
            # The suites before this one leave a large heap behind; a full collection that lands inside one
            # timed parse would count that heap against whichever side it hit. Frozen, it is not scanned.
            gc.collect()
            gc.freeze()
            try:
                for i in range(rounds):
                    for name in list(cases) if i % 2 else list(cases)[::-1]:
                        adapter, data = cases[name]
                        started = time.perf_counter()
                        adapter.validate_json(data)
                        times[name].append(time.perf_counter() - started)
            finally:
                gc.unfreeze()
        finally:
            opi.__path__.remove(str(Path(work) / "out" / "opi"))
    ms = {name: round(statistics.median(t) * 1000, 2) for name, t in times.items()}
    ratios = [ms["union"] / ms["plain"], ms["union_text"] / ms["text"]]
    return {"target": TARGET, "items": ITEMS, "rounds": rounds, "ms": ms,
            "ratios": [round(r, 3) for r in ratios], "ratio": round(max(ratios), 3)}


def table(result: dict[str, Any]) -> list[str]:
    ms, ratios = result["ms"], result["ratios"]
    verdict = "meets" if result["ratio"] <= result["target"] else "misses"
    return [
        f"| Parse {result['items']:,} items | union, ms | plain, ms | union / plain |",
        "|---|---:|---:|---:|",
        f"| mixed blocks: `list[Block]` vs `list[FlatBlock]` | {ms['union']} | {ms['plain']} | {ratios[0]:.3f} |",
        f"| text blocks: `list[Block]` vs `list[TextBlock]` | {ms['union_text']} | {ms['text']} | {ratios[1]:.3f} |",
        "",
        f"- worst ratio **{result['ratio']:.3f}x** ({verdict} the {result['target']:.1f}x target), medians of "
        f"{result['rounds']} interleaved rounds",
    ]


def checks(result: dict[str, Any]) -> list[dict[str, Any]]:
    worst = result["ratios"].index(max(result["ratios"]))
    union, plain = (("union", "plain"), ("union_text", "text"))[worst]
    return [check(f"parse {result['items']:,} discriminated-union items vs one plain model", result["ms"][union],
                  result["ms"][plain], "ms", result["target"])]
