"""Every example in the docs runs as shown against the contract server, and succeeds.

Only what a reader would also change is changed: the base URL comes from `OPI_<ALIAS>_BASE_URL` (which the
client and the CLI both read), and the CLI's `"***"` secrets come from the environment variables the page
names (`export OPI_..._TOKEN=...`). The server is told to accept exactly the credentials the page shows.
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, redirect_stdout
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from docs_support import Page, spec_docs, spec_providers
from provider_support import contract_servers

from generator.ir import Provider
from generator.mock import MockServer

OPI_BIN = Path(sys.executable).parent
PAGES = [
    (provider, path)
    for provider in spec_providers()
    for path in sorted(spec_docs())
    if path.startswith(f"docs/{provider.docs_folder}/") and 'title="Code example"' in spec_docs()[path]
]


def _client_keywords(code: str) -> dict[str, Any]:
    """The literal keywords of the example's `Client(...)` call."""
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Client":
            return {k.arg: ast.literal_eval(k.value) for k in node.keywords if k.arg}
    raise AssertionError("the example makes no Client")


def _shown_credentials(provider: Provider) -> dict[str, str]:
    """Credentials as the provider's pages show them; the server accepts exactly these."""
    shown: dict[str, str] = {}
    names = {i.name for i in provider.inputs}
    for p, path in PAGES:
        if p is provider:
            [code] = Page.parse(spec_docs()[path]).fence('python title="Code example"')
            shown.update({k: v for k, v in _client_keywords(code).items() if k in names})
    return shown


@contextmanager
def _servers() -> Iterator[dict[str, MockServer]]:
    """A contract server per provider, accepting exactly the credentials the pages show."""
    with contract_servers(_shown_credentials) as started:
        yield started


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, MockServer]]:
    with _servers() as running:
        yield running


def _ids() -> list[str]:
    return [path.removeprefix("docs/") for _, path in PAGES]


@pytest.mark.parametrize(("provider", "path"), PAGES, ids=_ids())
def test_python_example_runs(
    provider: Provider, path: str, servers: dict[str, MockServer], monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    [code] = Page.parse(spec_docs()[path]).fence('python title="Code example"')
    monkeypatch.chdir(tmp_path)  # a file method's example saves its file (out=...) where it runs
    for name in list(os.environ):
        if name.startswith("OPI_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv(provider.base_url_env, servers[provider.alias].url)
    servers[provider.alias].reset()  # each example starts from a fresh account, as a reader's would
    # Never let an example reach past the loopback server: the client must take the URL from the variable.
    client_class = importlib.import_module(f"opi.{provider.alias}").Client
    with client_class(**_client_keywords(code)) as client:
        assert client.base_url == servers[provider.alias].url, f"Client ignores {provider.base_url_env}"
    out = StringIO()
    with redirect_stdout(out):
        exec(compile(code, path, "exec"), {"__name__": "__main__"})
    printed = out.getvalue().strip()
    assert printed, "the example prints the answer"
    answer = ast.literal_eval(printed)
    assert isinstance(answer, dict | list) and answer  # a list: a top-level array answer
    called = re.search(r"client\.(\w+)\(", code)
    assert called is not None
    method = next(m for m in provider.methods if m.py_name == called.group(1))
    assert servers[provider.alias].requests_for(method.name), "the example reached the contract server"


def _bash_script(provider: Provider, bash: str) -> str:
    """The page's bash block as a reader runs it: the `export` lines it shows uncommented, and each
    `"***"` replaced by the variable of its option."""
    script = re.sub(r"^# (export OPI_\w+=)", r"\1", bash, flags=re.M)
    options = {f"--{i.option}": i.env for i in provider.inputs}
    for method in provider.methods:
        options.update({f"--{p.option}": p.env for p in method.parameters if p.secret})
    for option, variable in options.items():
        script = script.replace(f'{option} "***"', f'{option} "${variable}"')
    assert '"***"' not in script
    return script


def _run_cli(provider: Provider, path: str, url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    [bash] = Page.parse(spec_docs()[path]).fence('bash title="CLI command example"')
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPI_")}
    env[provider.base_url_env] = url
    env["PATH"] = f"{OPI_BIN}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(
        ["bash", "-c", _bash_script(provider, bash)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
        cwd=cwd,  # a file method's example saves its file (--out) where it runs
    )


@pytest.fixture(scope="module")
def cli_servers() -> Iterator[dict[str, MockServer]]:
    with _servers() as running:
        yield running


@pytest.fixture(scope="module")
def cli_runs(
    cli_servers: dict[str, MockServer], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, subprocess.CompletedProcess[str]]:
    """Every page's CLI example on servers of their own, a few at a time (each is a process of its own)."""
    work = tmp_path_factory.mktemp("cli-examples")
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {path: pool.submit(_run_cli, p, path, cli_servers[p.alias].url, work) for p, path in PAGES}
        return {path: future.result() for path, future in futures.items()}


@pytest.mark.parametrize(("provider", "path"), PAGES, ids=_ids())
def test_cli_example_runs(
    provider: Provider,
    path: str,
    cli_runs: dict[str, subprocess.CompletedProcess[str]],
    cli_servers: dict[str, MockServer],
) -> None:
    run = cli_runs[path]
    assert run.returncode == 0, run.stderr
    if re.search(r"--out \S+", run.args[2]):  # a file answer, saved by --out
        assert "written to" in run.stderr and run.stdout == ""
    else:
        answer = json.loads(run.stdout)
        assert isinstance(answer, dict | list) and answer  # a list: a top-level array answer
    called = re.search(rf"^opi {provider.alias} (\w+)", run.args[2], re.M)
    assert called is not None
    assert cli_servers[provider.alias].requests_for(called.group(1)), (
        "the command reached the contract server"
    )
