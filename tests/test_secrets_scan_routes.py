"""The secrets scan of test_secrets_scan.py over credentials that travel in the query (`?access_token=`), a
path segment (`/bot<token>/...`) and a body field (JSON, form and multipart), from the test spec
tests/route_specs/xroutes.yaml, with values that URLs and forms must encode. None of them, in any of its
encoded forms, may show in what a call shows (results, `raw_response`, exceptions with their tracebacks),
in any log record (httpx's own "HTTP Request: <url>" lines and the contract server's request log
included), or in the CLI's output with `--debug` and `--test`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

import pytest
from routes_support import CREDS as ROUTE_CREDS
from routes_support import SPEC as ROUTE_SPEC
from routes_support import Routes, generated_routes, secret_forms
from routes_support import call as route_call
from routes_support import opi as route_opi
from test_secrets_scan import SCENARIOS, arm, exception_text

from generator.mock import MockServer
from generator.pipeline import load_providers

ROUTE_METHODS = [m.name for m in load_providers([ROUTE_SPEC])[0].methods]


@pytest.fixture(scope="module")
def routed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Routes, dict[bool, MockServer]]]:
    with generated_routes(tmp_path_factory.mktemp("scan")) as made, \
            MockServer.start(made.provider, credentials=ROUTE_CREDS) as accepts, \
            MockServer.start(made.provider, credentials={k: v + "-other" for k, v in ROUTE_CREDS.items()}) as refuses:
        yield made, {True: accepts, False: refuses}


@pytest.mark.parametrize("mode", ["sync", "sync-httpx", "async"])
@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("name", ROUTE_METHODS)
def test_credentials_in_query_path_and_body_show_nowhere(
    routed: tuple[Routes, dict[bool, MockServer]], caplog: pytest.LogCaptureFixture,
    name: str, scenario: str, mode: str,
) -> None:
    made, servers = routed
    m = made.provider.method(name)
    server = servers[scenario != "refused"]
    arm(server, m, scenario)
    kwargs = {p.py_name: p.example for p in m.parameters}
    options: dict[str, Any] = {"base_url": server.url, "timeout": 2.0, "retry_delay": 0.001, "kwargs": kwargs}
    with caplog.at_level(logging.DEBUG):
        try:
            result = route_call(made, mode, m.py_name, **options)
            text = "\n".join([repr(result), str(result), repr(result.raw_response)])
        except made.pkg.OpiError as exc:
            text = exception_text(exc)
        deadline = time.monotonic() + 2.0  # the server logs a request just after answering it
        while not any(r.name == "opigen.mock" for r in caplog.records) and time.monotonic() < deadline:
            time.sleep(0.005)
    assert server.requests, "the call reached the server"
    logged = "\n".join(f"{r.name}: {r.getMessage()}" for r in caplog.records)
    assert "opigen.mock: xroutes" in logged, "the contract server's request log was scanned"
    if scenario != "dropped" and mode == "sync-httpx":  # (the clients' own pools skip httpx's client layer)
        assert "httpx: HTTP Request:" in logged, "httpx's own log was scanned"
    for secret in secret_forms():
        assert secret not in text, f"{secret!r} in what the call showed"
        assert secret not in logged, f"{secret!r} in the log"


@pytest.mark.parametrize("scenario", ["ok", "error", "refused", "dry-run"])
@pytest.mark.parametrize("name", ROUTE_METHODS)
def test_cli_shows_no_credential_of_the_query_path_or_body(
    routed: tuple[Routes, dict[bool, MockServer]], name: str, scenario: str
) -> None:
    made, servers = routed
    m = made.provider.method(name)
    server = servers[scenario != "refused"]
    arm(server, m, scenario)
    args = [f"--{p.option}={p.example}" for p in m.parameters]
    run = route_opi(made, name, *args, "--test" if scenario == "dry-run" else "--debug", base_url=server.url)
    if scenario == "dry-run":
        assert run.returncode == 0 and server.requests == []
        # The key is shown masked; a multipart body is streamed and never shown at all.
        assert "***" in run.stdout or (m.body_content == "multipart" and "a body streamed" in run.stdout)
    elif scenario == "ok":
        assert run.returncode == 0, run.stderr
        assert "> " in run.stderr and "< " in run.stderr, "--debug printed the exchange"
    else:
        assert run.returncode == 4, run.stderr
    for secret in secret_forms():
        assert secret not in run.stdout + run.stderr, f"{secret!r} in the output"
