"""The CLI renderer: credential alternatives, option-name clashes, deterministic tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import provider, providers
from test_cli_values import SAMPLE_SPEC

from generator.pipeline import load_providers
from generator.problems import SpecError
from generator.render.cli import credential_ways, render_cli_entry, render_cli_table


@pytest.mark.seed("cdek", "digitalriver", "geins")
def test_credential_alternatives_follow_the_auth_schemes() -> None:
    cdek, dr, geins = provider("cdek"), provider("digitalriver"), provider("geins")
    refund = cdek.method("CreateCustomerRefund")
    # An OAuth token, or what its token method needs so the client can fetch one itself.
    assert credential_ways(cdek, refund.auth) == [("token",), ("client-id", "client-secret")]
    assert credential_ways(cdek, cdek.method("GetToken").auth) == []
    assert credential_ways(dr, dr.method("CreateRefund").auth) == [
        ("token",),
        ("username", "password", "api-key"),
    ]
    # Schemes required together: every input of each.
    assert credential_ways(geins, geins.method("CreateRefund").auth) == [
        ("api-user", "api-password", "api-key")
    ]


def test_tables_are_deterministic() -> None:
    for p in providers():
        assert render_cli_table(p) == render_cli_table(p)
    entry = render_cli_entry(list(providers()))["opi/cli/__init__.py"]
    assert entry == render_cli_entry(list(providers()))["opi/cli/__init__.py"]
    aliases = [p.alias for p in providers()]
    assert [entry.index(f"ProviderEntry({a!r}") for a in aliases] == sorted(
        entry.index(f"ProviderEntry({a!r}") for a in aliases
    )


@pytest.mark.parametrize("name", ["out", "debug", "base_url", "token", "environment", "testapi"])
def test_a_parameter_may_not_shadow_a_standard_option_or_credential(tmp_path: Path, name: str) -> None:
    """Refused by the spec check (with its position) or, as a backstop, by the renderer."""
    spec = SAMPLE_SPEC.replace("name: tags\n", f"name: {name}\n")
    spec = spec.replace(
        "    default: true\n", "    default: true\n  - {name: sandbox, url: 'https://example.com/sandbox'}\n"
    )
    spec += "environment_flag: {name: testapi, description: Test API, environment: sandbox}\n"
    (tmp_path / "sample.yaml").write_text(spec, encoding="utf-8")
    option = name.replace("_", "-")
    line = spec.splitlines().index(f"      - name: {name}") + 1
    try:
        [sample] = load_providers([tmp_path / "sample.yaml"])
    except SpecError as exc:
        assert f"sample.yaml:{line}:" in str(exc) and f"{option}" in str(exc)
        return
    with pytest.raises(ValueError, match=f"CLI option --{option} is already taken"):
        render_cli_table(sample)
