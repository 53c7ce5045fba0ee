"""schemathesis against the contract server, for every provider, driven by the OpenAPI export: a bounded
run (the examples, fuzzing and stateful phases, five examples per operation) with every default check.
The five runs go in parallel (about 15 s in all on two cores).

The coverage phase is left out for time (it is not bounded by the number of examples: about 50 s of CPU
for the five providers). Run by hand, it passes too, except that schemathesis wants exactly 401 for a
missing `Authorization` header, where Digital River's spec declares 403 for refused credentials.

A rule across query or header parameters (`parameter_groups`, e.g. exactly one of two query parameters) has
no OpenAPI form: schemathesis' valid data may break it, so for those operations the spec's validation answer
counts as accepted, and its "validation mismatch" warning may name them (and only them)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from mock_support import ALIASES, client_for, credentials, fetch_token, provider

from generator.ir import Location, Method, Provider
from generator.mock import MockServer
from generator.render.openapi import document

SCHEMATHESIS = str(Path(sys.executable).parent / "schemathesis")
MAX_EXAMPLES = 5
PHASES = "examples,fuzzing,stateful"


@dataclass
class Run:
    process: subprocess.Popen[str]
    started: float


def _toml(value: Any) -> str:
    return json.dumps(value)  # TOML basic strings, numbers and booleans read like JSON


def _auth(p: Provider, server: MockServer) -> dict[str, dict[str, str]]:
    """schemathesis' auth settings per security scheme, with the credentials the server expects."""
    creds = credentials(p)
    out: dict[str, dict[str, str]] = {}
    with client_for(server) as client:
        for s in p.schemes:
            values = [creds.get(i.name, "") for i in s.inputs]
            if s.kind == "bearer":
                out[s.name] = {"bearer": values[0]}
            elif s.kind == "basic":
                out[s.name] = {"username": values[0], "password": values[1]}
            elif s.kind == "api_key":
                out[s.name] = {"api_key": s.prefix + values[0]}
            else:  # OAuth: a token the server issued (its default lifetime outlasts the run)
                out[s.name] = {"bearer": fetch_token(client, p, s, creds)}
    return out


# The statuses schemathesis accepts for schema-valid data by default.
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]


def _unexpressed(p: Provider) -> list[Method]:
    """The methods with a rule across parameters that OpenAPI cannot state (one over query or header
    parameters): data valid by the export may break the rule, and the spec's validation answer is then the
    right answer."""
    return [m for m in p.methods
            if any(q.location is not Location.BODY for g in m.parameter_groups for q in m.group_params(g))]


def _unexpressed_rules(p: Provider) -> list[str]:
    """Per-operation settings for those methods: their validation answer is an accepted answer to valid data."""
    lines: list[str] = []
    status = p.errors.answers["validation"].status
    for m in _unexpressed(p):
        lines += ["[[operations]]", f"include-path = {_toml(m.path)}", f"include-method = {_toml(m.http_method)}",
                  f"checks.positive_data_acceptance.expected-statuses = {_toml([*ACCEPTED, status])}"]
    return lines


def _config(p: Provider, server: MockServer) -> str:
    lines = [f"base-url = {_toml(server.url)}", "seed = 1", "[generation]", f"max-examples = {MAX_EXAMPLES}",
             'database = "none"']
    for scheme, values in _auth(p, server).items():
        lines.append(f"[auth.openapi.{scheme}]")
        lines += [f"{key} = {_toml(value)}" for key, value in values.items()]
    return "\n".join(lines + _unexpressed_rules(p)) + "\n"


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Run]]:
    folder = tmp_path_factory.mktemp("schemathesis")
    with ExitStack() as stack:
        started: dict[str, Run] = {}
        for alias in ALIASES:
            p = provider(alias)
            server = stack.enter_context(MockServer.start(p, credentials=credentials(p)))
            spec = folder / f"{alias}.json"
            spec.write_text(json.dumps(document(p)), encoding="utf-8")
            config = folder / f"{alias}.toml"
            config.write_text(_config(p, server), encoding="utf-8")
            command = [SCHEMATHESIS, "--config-file", str(config), "run", str(spec), "--no-color",
                       "--phases", PHASES]
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                       cwd=folder)
            stack.callback(process.kill)
            started[alias] = Run(process, time.monotonic())
        yield started


@pytest.mark.timeout(120)
@pytest.mark.parametrize("alias", ALIASES)
def test_schemathesis_default_checks_pass(runs: dict[str, Run], alias: str) -> None:
    run = runs[alias]
    output, _ = run.process.communicate(timeout=110)
    assert run.process.returncode == 0, output[-6000:]
    expected = {f"{m.http_method} {m.path}" for m in _unexpressed(provider(alias))}
    if "No issues found" not in output:  # only the operations whose rules OpenAPI cannot state may warn
        warnings = output.split("WARNINGS ===", 1)[1].split("SUMMARY ===", 1)[0]
        assert warnings.lstrip("=").strip().startswith("Schema validation mismatch"), warnings
        listed = {line[4:].strip() for line in warnings.splitlines() if line.startswith("  - ")}
        assert listed and listed <= expected, warnings
        assert output.split("Warnings:", 1)[1].split("\n\n", 1)[0].strip().count("⚠️") == 1, output[-3000:]
    assert "✅ Examples" in output and "✅ Fuzzing" in output
