"""Webhook receiving: `opi.<alias>.webhooks.verify` (verify the HMAC on the raw bytes, check the timestamp
window, parse and validate the typed event) against the hand-written minimum for the same delivery:
`hmac.new(...).hexdigest()`, `hmac.compare_digest` and `json.loads`, with no schema validation.

The provider is the webhook test spec (tests/webhook_specs/hookpay.yaml: HMAC-SHA256, hex with a prefix,
over `timestamp.body`), generated into a temporary folder; the delivery is its `refund.succeeded` example.
Both run in this process, interleaved in batches (order flipped every round); the figure is the median of
the batches' per-call times. The replay guard is left out of both (`replays=None`): a benchmark repeats
one delivery, which the guard would refuse.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "tests" / "webhook_specs" / "hookpay.yaml"
TARGET = 1.5
NOW = 1_767_225_600
SECRET = b"bench-webhook-secret"


def _forget() -> None:
    for name in [n for n in sys.modules if n == "opi.hookpay" or n.startswith("opi.hookpay.")]:
        del sys.modules[name]


def _module(work: Path) -> Any:
    from generator.pipeline import generate

    opi: Any = importlib.import_module("opi")  # the installed package; the test spec's joins it here

    generate([SPEC], work / "out")
    _forget()
    opi.__path__.append(str(work / "out" / "opi"))
    return importlib.import_module("opi.hookpay.webhooks")


def _delivery(module: Any) -> tuple[bytes, dict[str, str]]:
    from generator.specs import load_providers

    (provider,) = load_providers([SPEC])
    assert provider.webhooks is not None
    event = provider.webhooks.events[0]
    body = json.dumps(event.example).encode("utf-8")
    mac = hmac.new(SECRET, f"{NOW}.".encode() + body, hashlib.sha256).hexdigest()
    headers = {
        "Host": "receiver.example", "Content-Type": "application/json", "User-Agent": "provider-webhooks/1.0",
        "Content-Length": str(len(body)), "X-Hook-Signature": "v1=" + mac, "X-Hook-Timestamp": str(NOW),
    }
    return body, headers


def _batch(fn: Callable[[], object], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls


def run(quick: bool = False) -> dict[str, Any]:
    rounds, calls = (20, 500) if quick else (60, 2000)
    with tempfile.TemporaryDirectory() as folder:
        module = _module(Path(folder))
        body, headers = _delivery(module)

        def hand() -> object:
            given = headers["X-Hook-Signature"].removeprefix("v1=")
            stamp = headers["X-Hook-Timestamp"]
            expected = hmac.new(SECRET, stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
            if not hmac.compare_digest(expected, given) or abs(NOW - int(stamp)) > 300:
                raise ValueError("refused")
            return json.loads(body)

        def generated() -> Any:
            return module.verify(body, headers, SECRET, now=NOW, replays=None)

        event = generated()
        assert event.name == "refund.succeeded" and hand()["event"] == event.name  # type: ignore[index]
        times: dict[str, list[float]] = {"hand": [], "generated": []}
        for i in range(rounds):
            order = [("hand", hand), ("generated", generated)]
            for name, fn in order if i % 2 else reversed(order):
                times[name].append(_batch(fn, calls))
        importlib.import_module("opi").__path__.remove(str(Path(folder) / "out" / "opi"))
        _forget()
    hand_us = statistics.median(times["hand"]) * 1e6
    ours_us = statistics.median(times["generated"]) * 1e6
    return {"target": TARGET, "rounds": rounds, "calls": calls, "body_bytes": len(body),
            "hand_us": round(hand_us, 2), "generated_us": round(ours_us, 2), "ratio": round(ours_us / hand_us, 3)}


def table(result: dict[str, Any]) -> list[str]:
    verdict = "meets" if result["ratio"] <= result["target"] else "misses"
    return [
        f"Median of {result['rounds']} interleaved batches of {result['calls']} calls; a "
        f"{result['body_bytes']}-byte `refund.succeeded` delivery.",
        "",
        "| receiver | µs per delivery | ratio |",
        "|---|---:|---:|",
        f"| hand-written `hmac.compare_digest` + `json.loads` | {result['hand_us']:.2f} | 1.000 |",
        f"| `opi.hookpay.webhooks.verify` (typed event) | {result['generated_us']:.2f} | {result['ratio']:.3f} |",
        "",
        f"- **{result['ratio']:.3f}x** ({verdict} the {result['target']}x target)",
    ]


def checks(result: dict[str, Any]) -> list[dict[str, Any]]:
    from .report import check

    return [check("Webhook verify + typed parse vs hmac.compare_digest + json.loads", result["generated_us"],
                  result["hand_us"], "µs", TARGET)]
