"""The test spec of where requests go (`tests/route_specs/xroutes.yaml`: a content host, an upload URL from
an answer, API keys in the query, the path and the body, an `OAuth` header), generated into a temporary
folder; calling it through the clients and the CLI."""

from __future__ import annotations

import asyncio
import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import quote, quote_plus

import httpx
from spec_support import importable

from generator.ir import Provider
from generator.pipeline import load_providers

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "tests" / "route_specs" / "xroutes.yaml"
# Values that URLs and forms must encode ('+', '/', '=', ' ', '&'), so masking has to know those forms too.
CREDS = {
    "access_token": "vk1.a.s3cr3t+key/=",
    "bot_token": "123456:AAE-s3cr3t~x",
    "auth_token": "body s3cr3t&2",
    "oauth_token": "y0_s3cr3t-oauth",
}
ENV = {f"OPI_XROUTES_{name.upper()}": value for name, value in CREDS.items()}


def secret_forms() -> set[str]:
    """Each credential as it is and as URLs and forms encode it (`+`, `/`, `=`, ` ` and `&` percent-encoded
    the ways httpx, yarl and urllib do): none of these may show anywhere."""
    return {form for value in CREDS.values()
            for form in (value, quote(value, safe=""), quote(value, safe=":@"), quote(value, safe="/:@"),
                         quote_plus(value), quote_plus(value, safe="/"))}


@dataclass
class Routes:
    pkg: ModuleType
    provider: Provider
    out: Path  # the generated tree


@contextmanager
def generated_routes(work: Path) -> Iterator[Routes]:
    """The spec generated into `work` (as `opi.xroutes`)."""
    with importable([SPEC], work / "out") as out:
        (provider,) = load_providers([SPEC])
        yield Routes(importlib.import_module("opi.xroutes"), provider, out)


def call(r: Routes, mode: str, method: str, *, creds: dict[str, str] | None = None, **options: Any) -> Any:
    """One call on a fresh client; `options` are the client's keywords and, after `kwargs`, the method's."""
    kwargs = options.pop("kwargs", {})
    given = {**CREDS, **(creds or {})}
    if mode.startswith("sync"):  # "sync-httpx": through the httpx.Client layer, not the client's own pool
        extra = {"transport": httpx.HTTPTransport()} if mode == "sync-httpx" else {}
        with r.pkg.Client(max_retries=0, **given, **options, **extra) as client:
            return getattr(client, method)(**kwargs)

    async def run() -> Any:
        async with r.pkg.AsyncClient(max_retries=0, **given, **options) as client:
            return await getattr(client, method)(**kwargs)

    return asyncio.run(run())


def opi(r: Routes, *args: str, base_url: str | None = None, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    """`opi xroutes *args` on the generated package, as a subprocess, with the credentials in the environment."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OPI_")}
    clean |= {"PYTHONPATH": str(r.out), **ENV, **(env or {})}
    if base_url is not None:
        clean["OPI_XROUTES_BASE_URL"] = base_url
    code = "import sys; from opi.cli import main; sys.exit(main())"
    return subprocess.run([sys.executable, "-c", code, "xroutes", *args], env=clean, timeout=60, check=False,
                          capture_output=True, text=True)
