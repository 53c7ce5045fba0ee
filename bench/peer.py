"""The peer generator, openapi-python-client, pinned, in its own venv (bench/.venv, git-ignored).

It is never installed into the project's venv: the first benchmark run creates bench/.venv with
`python -m venv` and pip, and later runs reuse it (a stamp file names the pinned version).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

PEER = "openapi-python-client"
PEER_VERSION = "0.29.1"
VENV = Path(__file__).resolve().parent / ".venv"
STAMP = VENV / f".installed-{PEER}-{PEER_VERSION}"


def ensure() -> tuple[Path, float]:
    """The bench venv's bin folder, and the seconds spent creating it now (0.0 when it was there)."""
    bindir = VENV / "bin"
    if STAMP.exists() and (bindir / PEER).exists():
        return bindir, 0.0
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
    subprocess.run(
        [str(bindir / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
         f"{PEER}=={PEER_VERSION}"],
        check=True,
    )
    STAMP.touch()
    return bindir, time.perf_counter() - start


def env(bindir: Path) -> dict[str, str]:
    """The peer runs ruff from PATH after generating (its post-hooks): put the bench venv's first."""
    return {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}"}
