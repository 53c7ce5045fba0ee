"""Every method of every provider through the installed `opi`, against the contract server.

Each call passes the spec's example values as options and the secrets as environment variables; the
server must receive exactly the request the docs prescribe, and stdout must be the answer as JSON, the
same the Python client returns.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cli_support import cli_call, opi
from client_support import (
    answered,
    credentials,
    example_kwargs,
    expected_request,
    package,
    provider,
    providers,
)
from provider_support import declared_aliases

from generator.contract import get_path
from generator.mock import MockServer

METHODS = [(p.alias, m.name) for p in providers() for m in p.methods]


def _without_tokens(alias: str, method: str, data: Any) -> Any:
    """A token method's answer minus the token, which the server issues afresh each time."""
    p = provider(alias)
    for scheme in p.schemes:
        if scheme.token_method == method and isinstance(data, dict):
            token = get_path(data, scheme.token_field)
            assert isinstance(token, str) and token
            data = {k: v for k, v in data.items() if k != scheme.token_field.split(".")[0]}
    return data


def test_every_provider_and_method_is_covered() -> None:
    assert sorted({alias for alias, _ in METHODS}) == declared_aliases()
    assert len(METHODS) == sum(len(p.methods) for p in providers())


@pytest.mark.parametrize(("alias", "name"), METHODS)
def test_every_method(servers: dict[str, MockServer], alias: str, name: str, tmp_path: Path) -> None:
    p = provider(alias)
    m = p.method(name)
    server = servers[alias]
    server.reset()
    kwargs = example_kwargs(p, m)
    creds = credentials(p)
    args, env = cli_call(p, m, kwargs, creds)
    saved = tmp_path / "answer.bin"
    is_file = m.success.content == "binary"  # a file answer goes to --out
    run = opi(*args, "--base-url", server.url, *(["--out", str(saved)] if is_file else []), env=env)
    assert run.code == 0, run.err
    if is_file:
        example = m.success.example
        assert saved.read_bytes() == (example if isinstance(example, bytes) else str(example).encode())
        assert f"written to {saved}" in run.err and run.out == ""
    else:
        assert run.err == ""

    # The request is the one the docs prescribe.
    [rec] = answered(server, m.name)
    want = expected_request(p, m, kwargs)
    assert (rec.method, rec.path, rec.query) == (m.http_method, want.path, want.query)
    if m.body_content is not None:
        assert (rec.form if m.body_content == "form" else rec.json) == want.body
    assert rec.status == m.success.status

    if m.success.content != "json":  # a file, text or no body: not JSON on stdout
        expected = {"text": f"{m.success.example}\n", "empty": ""}.get(m.success.content, "")
        assert run.out == expected
        return
    # stdout is the answer as pretty UTF-8 JSON, equal to what the Python client returns for the same call.
    assert run.out.startswith(("{\n  ", "[\n  ", "null", '"'))
    shown = json.loads(run.out)
    server.reset()
    with package(alias).Client(base_url=server.url, **creds) as client:
        result = getattr(client, m.py_name)(**kwargs)
    data = [r.to_json_dict() for r in result] if isinstance(result, list) else result
    data = data.to_json_dict() if hasattr(data, "to_json_dict") else data
    assert _without_tokens(alias, name, shown) == _without_tokens(alias, name, data)
    assert "\\u04" not in run.out  # Cyrillic stays readable

    # Secrets went in by environment variable and come out nowhere.
    for secret in [*creds.values(), *env.values()]:
        assert secret not in run.out and secret not in run.err
