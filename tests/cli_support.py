"""Running the installed `opi` command as a subprocess, with a clean environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from provider_support import ROOT, provider, providers

from generator.ir import Method, Provider
from generator.render.cli import credential_ways

__all__ = ["ROOT", "provider", "providers"]
OPI = Path(sys.executable).parent / "opi"


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def opi(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 30) -> Run:
    """`opi *args`; OPI_* variables of the caller's environment are dropped, `env` is added."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OPI_")}
    clean.update(env or {})
    proc = subprocess.run(
        [str(OPI), *args], capture_output=True, env=clean, cwd=cwd, timeout=timeout, check=False
    )
    # A file answer written to the pipe is bytes, not text: shown with replacement characters.
    return Run(proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8"))


def cli_text(value: Any) -> str:
    """A value as it is typed on the command line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def cli_call(
    p: Provider, m: Method, kwargs: dict[str, Any], creds: dict[str, str]
) -> tuple[list[str], dict[str, str]]:
    """Arguments and environment for `opi <alias> <Method>` with these keywords and client credentials:
    secrets go in their environment variables (as the docs advise), everything else as options."""
    args = [p.alias, m.name]
    env: dict[str, str] = {}
    wanted = {o for way in credential_ways(p, m.auth) for o in way}
    for i in p.client_inputs:
        if i.name in creds and i.option in wanted:
            if i.secret:
                env[i.env] = creds[i.name]
            else:
                args += [f"--{i.option}", creds[i.name]]
    for q in m.parameters:
        if q.is_const or kwargs.get(q.py_name) is None:
            continue
        if q.secret:
            env[q.env] = cli_text(kwargs[q.py_name])
        else:
            args += [f"--{q.option}", cli_text(kwargs[q.py_name])]
    return args, env
