"""`opi` help, listing and dispatch, checked against the specs for every provider and method."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from cli_support import OPI, opi, providers

ALIASES = [p.alias for p in providers()]
METHODS = [(p.alias, m.name) for p in providers() for m in p.methods]


def test_no_arguments_lists_providers_and_exit_codes() -> None:
    for args in ([], ["--help"]):
        run = opi(*args)
        assert run.code == 0, run.err
        for p in providers():
            assert re.search(rf"^  {p.alias}\s+{re.escape(p.title)}$", run.out, re.M)
        for code in ("0", "1", "2", "3", "4", "5", "6", "7"):
            assert re.search(rf"^  {code}\s+\S", run.out, re.M), f"exit code {code} undocumented"
        assert run.err == ""


def test_version() -> None:
    run = opi("--version")
    assert run.code == 0
    assert re.fullmatch(r"opi \d+\.\d+\.\d+\n", run.out)


@pytest.mark.parametrize("alias", ALIASES)
def test_provider_lists_methods_by_group(alias: str) -> None:
    p = next(p for p in providers() if p.alias == alias)
    run = opi(alias)
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    headings = [line[:-1] for line in lines if line.endswith(":") and not line.startswith(" ")]
    assert headings == [g.name for g in p.groups if g.methods]
    for group in p.groups:
        start = lines.index(f"{group.name}:")
        listed = [line.split()[0] for line in lines[start + 1 : start + 1 + len(group.methods)]]
        assert listed == [m.name for m in group.methods]
    assert opi(alias.upper()).out == run.out  # the alias is matched case-insensitively too


@pytest.mark.parametrize(("alias", "method"), METHODS)
def test_method_help_lists_every_option(alias: str, method: str) -> None:
    p = next(p for p in providers() if p.alias == alias)
    m = p.method(method)
    run = opi(alias, method, "--help")
    assert run.code == 0, run.err
    out = run.out
    assert out.startswith(f"opi {alias} {m.name}: {m.title}\n")
    for param in m.parameters:
        if param.is_const:
            assert f"--{param.option} " not in out
            continue
        line = next(line for line in out.splitlines() if line.startswith(f"  --{param.option} <"))
        assert f"<{param.type.label}>" in line
        if param.required:
            assert "required" in line
        elif param.has_default:
            assert "default: " in line
        if param.secret:
            assert f"env: {param.env}" in line and "secret" in line
    for option in ("--environment", "--base-url", "--timeout", "--debug", "--test", "--out"):
        assert f"  {option}" in out
    assert f"env: {p.base_url_env}" in out
    if m.auth:
        for way in m.auth:
            for scheme in way:
                for i in next(s for s in p.schemes if s.name == scheme).inputs:
                    line = next(line for line in out.splitlines() if line.startswith(f"  --{i.option} <"))
                    assert f"env: {i.env}" in line
    # The PascalCase name is matched case-insensitively.
    assert opi(alias, method.lower(), "--help").out == out


@pytest.mark.seed("cdek")
def test_method_without_options_shows_help_when_something_is_missing() -> None:
    run = opi("cdek", "CreateCustomerRefund")
    assert run.code == 0
    assert run.out == opi("cdek", "CreateCustomerRefund", "--help").out


@pytest.mark.seed("cdek")
def test_unknown_provider_and_method() -> None:
    run = opi("nosuchprovider", "Whatever")
    assert run.code == 1
    assert "unknown provider 'nosuchprovider'" in run.err and run.out == ""
    run = opi("cdek", "CreateCustomerRefnd")
    assert run.code == 2
    assert "unknown method 'CreateCustomerRefnd'" in run.err and "CreateCustomerRefund" in run.err
    assert run.out == ""


@pytest.mark.seed("cdek")
def test_help_imports_neither_httpx_nor_pydantic() -> None:
    """Start-up stays lazy: `-X importtime` lists every module the installed script imports."""
    for args in (["--help"], ["cdek"], ["cdek", "CreateCustomerRefund", "--help"]):
        proc = subprocess.run(
            [sys.executable, "-X", "importtime", str(OPI), *args],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        )
        modules = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if "|" in line}
        assert "opi.cli" in modules
        heavy = {m for m in modules if m.split(".")[0] in ("httpx", "pydantic", "anyio", "pydantic_core")}
        assert not heavy, (args, sorted(heavy))
