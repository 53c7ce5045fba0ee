"""The webhook test specs: tests/webhook_specs/hookpay.yaml (HMAC over `timestamp.body`) and one variant per
other scheme, generated together into a temporary folder and importable as `opi.<alias>`."""

from __future__ import annotations

import copy
import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "tests" / "webhook_specs" / "hookpay.yaml"
STANDARD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"  # the library's own test secret
SIGNED = ("hookpay", "hooksha", "hooktoken", "hookstd", "hookpairs", "hooklist")  # the schemes with a secret

# alias -> the signature section of its spec (hookpay: as in the file).
VARIANTS: dict[str, dict[str, Any] | None] = {
    "hookpay": None,
    "hooksha": {"scheme": "hmac", "algorithm": "sha1", "encoding": "base64", "header": "X-Hub-Signature"},
    "hooktoken": {"scheme": "token_header", "header": "X-Hook-Secret-Token"},
    "hookstd": {"scheme": "standard_webhooks", "tolerance": 300},
    "hookip": {"scheme": "ip_ranges", "ranges": ["192.0.2.0/24", "2001:db8::/32"]},
    # `t=<timestamp>,v1=<hex>[,v1=<hex>...]` in one header
    "hookpairs": {"scheme": "hmac", "header": "Hook-Signature", "signed": "timestamp.body",
                  "pairs": {"timestamp": "t", "signature": "v1"}, "tolerance": 300},
    # several `v1,<Base64>` signatures split by spaces, over the raw body
    "hooklist": {"scheme": "hmac", "header": "X-Hook-Signatures", "encoding": "base64", "prefix": "v1,",
                 "separator": " "},
}


def spec_data(alias: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data["provider"]["alias"] = alias
    data["provider"]["title"] = f"Hook {alias}"
    signature = VARIANTS[alias]
    if signature is not None:
        data["webhooks"]["signature"] = signature
    return data


def write_specs(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for alias in VARIANTS:
        path = folder / f"{alias}.yaml"
        if alias == "hookpay":
            path.write_bytes(BASE.read_bytes())
        else:
            path.write_text(yaml.safe_dump(spec_data(alias), sort_keys=False, allow_unicode=True), encoding="utf-8")
        paths.append(path)
    return paths


@contextmanager
def generated(work: Path) -> Iterator[dict[str, ModuleType]]:
    """Every variant generated into `work`; yields alias -> its `opi.<alias>.webhooks` module."""
    import opi

    from generator.pipeline import generate

    specs = write_specs(work / "specs")
    generate(specs, work / "out")
    forget_packages()
    opi.__path__.append(str(work / "out" / "opi"))  # the shared runtime stays the one under test
    try:
        yield {alias: importlib.import_module(f"opi.{alias}.webhooks") for alias in VARIANTS}
    finally:
        opi.__path__.remove(str(work / "out" / "opi"))
        forget_packages()


def forget_packages() -> None:
    """Drop the test providers' modules, so the next `generated` imports its own copies."""
    import sys

    for name in [n for n in sys.modules if n.split(".")[:2][-1] in VARIANTS and n.startswith("opi.")]:
        del sys.modules[name]


def providers(work: Path) -> dict[str, Any]:
    from generator.specs import load_providers

    return {p.alias: p for p in load_providers(write_specs(work / "specs"))}


@contextmanager
def serve_asgi(app: Any) -> Iterator[str]:
    """`app` under uvicorn on 127.0.0.1 (any free port) in a background thread; yields its URL."""
    import asyncio
    import socket
    import threading
    import time

    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, lifespan="off", log_config=None, access_log=False, log_level="critical")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])), daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.started, "the receiver did not start"
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/hooks"
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        sock.close()


def wait_for(condition: Any, timeout: float = 10.0) -> bool:
    """Poll `condition()` until it is true or `timeout` seconds pass (bounded)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return bool(condition())
