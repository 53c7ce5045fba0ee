"""The test spec with a method of every body and answer kind (`tests/kind_specs/shapes.yaml`), generated
into a temporary folder and served by the contract server; calling it through the clients and the CLI."""

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

from spec_support import importable

from generator.ir import Provider
from generator.mock import MockServer
from generator.pipeline import load_providers

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "tests" / "kind_specs" / "shapes.yaml"
MANUAL = (ROOT / "tests" / "kind_specs" / "manual.pdf").read_bytes()
MANUAL_NAME = 'руководство №7 "A".pdf'
CSV = "id,size\n7,3\n8,5\nЁ,ü\n"
KEY = "shapes-key-s3cr3t"


@dataclass
class Shapes:
    pkg: ModuleType
    provider: Provider
    server: MockServer
    out: Path  # the generated tree


@contextmanager
def generated_shapes(work: Path) -> Iterator[Shapes]:
    """The shapes spec generated into `work` (as `opi.bodyshapes`) with its contract server running."""
    with importable([SPEC], work / "out") as out:
        (provider,) = load_providers([SPEC])
        with MockServer.start(provider, credentials={"api_key": KEY}) as server:
            yield Shapes(importlib.import_module("opi.bodyshapes"), provider, server, out)


def call(s: Shapes, mode: str, method: str, base_url: str | None = None, **kwargs: Any) -> Any:
    url = base_url or s.server.url
    if mode == "sync":
        with s.pkg.Client(base_url=url, api_key=KEY, max_retries=0) as client:
            return getattr(client, method)(**kwargs)

    async def run() -> Any:
        async with s.pkg.AsyncClient(base_url=url, api_key=KEY, max_retries=0) as client:
            return await getattr(client, method)(**kwargs)

    return asyncio.run(run())


MODES = ("sync", "async")


def opi(
    s: Shapes, *args: str, cwd: Path, stdout: int | None = None, base_url: str | None = None
) -> subprocess.CompletedProcess[bytes]:
    """`opi bodyshapes *args` on the generated package, as a subprocess."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPI_")}
    env |= {"PYTHONPATH": str(s.out), "OPI_BODYSHAPES_API_KEY": KEY, "OPI_BODYSHAPES_BASE_URL": base_url or s.server.url}
    code = "import sys; from opi.cli import main; sys.exit(main())"
    return subprocess.run(
        [sys.executable, "-c", code, "bodyshapes", *args],
        cwd=cwd, env=env, timeout=60, check=False,
        stdout=subprocess.PIPE if stdout is None else stdout, stderr=subprocess.PIPE,
    )
