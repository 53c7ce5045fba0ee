"""The OAuth user-flow test spec (tests/oauth_specs/xlogin.yaml) generated into a temporary folder, its
contract server, and `opi xlogin ...` as a subprocess with the token file in a temporary folder."""

from __future__ import annotations

import importlib
import json
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

SPEC = Path(__file__).resolve().parent / "oauth_specs" / "xlogin.yaml"
CLIENT_ID = "notes-cli-7"
DEVICE_CLIENT_ID = "notes-tv-7"
CODE = "import sys; from opi.cli import main; sys.exit(main())"


@dataclass
class Generated:
    out: Path
    pkg: ModuleType
    provider: Provider


@contextmanager
def generated_xlogin(work: Path) -> Iterator[Generated]:
    with importable([SPEC], work / "out") as out:
        yield Generated(out, importlib.import_module("opi.xlogin"), load_providers([SPEC])[0])


def start(g: Generated, ttl: float = 3600.0) -> Any:
    return MockServer.start(g.provider, token_ttl=ttl,
                            credentials={"client_id": CLIENT_ID, "device_client_id": DEVICE_CLIENT_ID})


def cli_env(g: Generated, server: MockServer, token_file: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPI_", "PYTEST_"))}
    env |= {
        "PYTHONPATH": str(g.out), "OPI_XLOGIN_BASE_URL": server.url, "OPI_TOKEN_STORE": "file",
        "OPI_TOKEN_FILE": str(token_file), "OPI_NO_BROWSER": "1",
    }
    return env


def opi(env: dict[str, str], *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", CODE, "xlogin", *args], env=env, capture_output=True,
                          text=True, timeout=timeout, check=False)


def opi_background(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", CODE, "xlogin", *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def stored(token_file: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(token_file.read_text(encoding="utf-8")) if token_file.exists() else {}
    return data


def refresh_requests(server: MockServer) -> int:
    return sum(1 for r in server.requests if r.path == "/oauth/token" and (r.form or {}).get("grant_type")
               == "refresh_token")


def every_token(server: MockServer, token_file: Path) -> set[str]:
    """Every token handed out (access and refresh, live or rotated out) and every value of the token file."""
    found = set(server.tokens) | set(server.app.oauth.refresh_tokens())
    for entry in stored(token_file).values():
        found |= {entry[k] for k in ("access_token", "refresh_token") if entry.get(k)}
    return found
