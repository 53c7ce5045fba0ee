"""A sweep for leaks: every client call and every CLI command of every provider, run with known secret
values, in success and in failure, must never show a secret.

Scanned: results' repr and str, the client's repr, every log record (all loggers, DEBUG and up), exception
messages, reprs, args and formatted tracebacks (with their causes), and for the CLI stdout and stderr with
`--debug` and `--test` (the dry run). Secrets are the client credentials the spec marks secret, secret method arguments, and every token the
contract server issued during the run. The one place a secret may show is the result of a token method: the
token is what the caller asked for (stdout of `opi <alias> GetToken`, and the model's dump, never its repr).
"""

from __future__ import annotations

import asyncio
import logging
import time
import traceback
from collections.abc import Iterator
from typing import Any

import pytest
from cli_support import cli_call, opi
from client_support import credentials, example_kwargs, package, provider, providers
from routes_support import CREDS as ROUTE_CREDS
from routes_support import SPEC as ROUTE_SPEC
from routes_support import Routes, generated_routes, secret_forms
from routes_support import call as route_call
from routes_support import opi as route_opi

from generator.ir import Method, Provider
from generator.mock import Fault, MockServer
from generator.pipeline import load_providers

METHODS = [(p.alias, m.name) for p in providers() for m in p.methods]
# "ok": a normal call; "error": the provider answers 500; "refused": the server knows other credentials;
# "dropped": the connection closes after the server handled the request.
SCENARIOS = ("ok", "error", "refused", "dropped")


def wrong(p: Provider) -> dict[str, str]:
    return {name: f"{value}-but-other" for name, value in credentials(p).items()}


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[tuple[str, bool], MockServer]]:
    """Per provider: a server that accepts the test credentials, and one that refuses them."""
    started: dict[tuple[str, bool], MockServer] = {}
    contexts = []
    try:
        for p in providers():
            for accepts in (True, False):
                ctx = MockServer.start(p, credentials=credentials(p) if accepts else wrong(p))
                started[(p.alias, accepts)] = ctx.__enter__()
                contexts.append(ctx)
        yield started
    finally:
        for ctx in reversed(contexts):
            ctx.__exit__(None, None, None)


def is_token_method(p: Provider, m: Method) -> bool:
    return any(s.token_method == m.name for s in p.schemes)


def known_secrets(p: Provider, m: Method, kwargs: dict[str, Any], server: MockServer) -> set[str]:
    """What must never show: credentials, secret arguments, and the tokens the server handed out."""
    secret_inputs = {i.name for i in p.client_inputs if i.secret}
    secrets = {value for name, value in credentials(p).items() if name in secret_inputs}
    secrets |= {str(kwargs[q.py_name]) for q in m.parameters if q.secret and kwargs.get(q.py_name) is not None}
    secrets |= set(server.tokens)
    return {s for s in secrets if len(s) >= 6}  # too short to be a credential, and would match by chance


def arm(server: MockServer, m: Method, scenario: str) -> None:
    server.reset()
    if scenario == "error":
        server.set_fault(m.name, Fault(status=500))
    elif scenario == "dropped":
        server.set_fault(m.name, Fault(drop="after"))


def exception_text(exc: BaseException) -> str:
    parts = ["".join(traceback.format_exception(exc)), repr(exc), str(exc), repr(exc.args)]
    raw = getattr(exc, "raw", None)
    if raw is not None:
        parts.append(repr(raw))
    return "\n".join(parts)


def call_client(p: Provider, m: Method, server: MockServer, kwargs: dict[str, Any], mode: str) -> str:
    """Everything one call shows: the client's and result's repr/str, or the exception's text."""
    pkg = package(p.alias)
    options: dict[str, Any] = {"base_url": server.url, "timeout": 2.0, "max_retries": 1, "retry_delay": 0.001}
    try:
        if mode == "sync":
            with pkg.Client(**options, **credentials(p)) as client:
                shown = [repr(client), str(client)]
                result = getattr(client, m.py_name)(**kwargs)
        else:

            async def run() -> tuple[list[str], Any]:
                async with pkg.AsyncClient(**options, **credentials(p)) as client:
                    return [repr(client), str(client)], await getattr(client, m.py_name)(**kwargs)

            shown, result = asyncio.run(run())
    except pkg.OpiError as exc:
        return exception_text(exc)
    return "\n".join([*shown, repr(result), str(result), repr(getattr(result, "raw_response", None))])


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize(("alias", "name"), METHODS)
def test_client_shows_no_secret(
    servers: dict[tuple[str, bool], MockServer], caplog: pytest.LogCaptureFixture,
    alias: str, name: str, scenario: str, mode: str,
) -> None:
    p = provider(alias)
    m = p.method(name)
    server = servers[(alias, scenario != "refused")]
    arm(server, m, scenario)
    kwargs = example_kwargs(p, m)
    with caplog.at_level(logging.DEBUG):
        text = call_client(p, m, server, kwargs, mode)
    assert server.requests, "the call reached the server"
    logged = "\n".join(f"{r.name}: {r.getMessage()}" for r in caplog.records)
    assert logged, "the run logged something, so the scan of the log is not vacuous"
    for secret in known_secrets(p, m, kwargs, server):
        assert secret not in text, f"{secret!r} in what the call showed"
        assert secret not in logged, f"{secret!r} in the log"


def run_cli(p: Provider, m: Method, server: MockServer, extra: list[str]) -> tuple[str, str, int]:
    args, env = cli_call(p, m, example_kwargs(p, m), credentials(p))
    env[f"OPI_{p.alias.upper()}_BASE_URL"] = server.url
    run = opi(*args, *extra, env=env)
    return run.out, run.err, run.code


@pytest.mark.parametrize("scenario", ["ok", "error", "refused", "dry-run"])
@pytest.mark.parametrize(("alias", "name"), METHODS)
def test_cli_shows_no_secret(
    servers: dict[tuple[str, bool], MockServer], alias: str, name: str, scenario: str
) -> None:
    p = provider(alias)
    m = p.method(name)
    server = servers[(alias, scenario != "refused")]
    arm(server, m, scenario)
    extra = ["--test"] if scenario == "dry-run" else ["--debug"]
    out, err, code = run_cli(p, m, server, extra)
    if scenario == "dry-run":
        assert code == 0 and server.requests == []
        assert "***" in out + err or not m.auth, "a dry run with credentials shows them masked"
    elif scenario == "ok":
        assert code == 0, err
        assert "> " in err and "< " in err, "--debug printed the exchange, so the scan is not vacuous"
    else:
        assert code == 4, err
    secrets = known_secrets(p, m, example_kwargs(p, m), server)
    for secret in secrets:
        assert secret not in err, f"{secret!r} on stderr"
        if scenario == "ok" and is_token_method(p, m) and secret not in credentials(p).values():
            continue  # the issued token is the answer the caller asked for
        assert secret not in out, f"{secret!r} on stdout"


# --- credentials in the query, the path and the body (tests/route_specs/xroutes.yaml) --------------------
# The same sweep over a spec whose keys travel in the query (`?access_token=`), a path segment
# (`/bot<token>/...`) and a body field (JSON and form), with values that URLs and forms must encode: none of
# them, in any of its encoded forms, may show in what a call shows, in any log record (httpx's own
# "HTTP Request: <url>" lines and the contract server's request log included), in `--debug` or `--test`.
ROUTE_METHODS = [m.name for m in load_providers([ROUTE_SPEC])[0].methods]


@pytest.fixture(scope="module")
def routed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Routes, dict[bool, MockServer]]]:
    with generated_routes(tmp_path_factory.mktemp("scan")) as made, \
            MockServer.start(made.provider, credentials=ROUTE_CREDS) as accepts, \
            MockServer.start(made.provider, credentials={k: v + "-other" for k, v in ROUTE_CREDS.items()}) as refuses:
        yield made, {True: accepts, False: refuses}


@pytest.mark.parametrize("mode", ["sync", "async"])
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
    if scenario != "dropped" and mode == "sync":  # (the async client sends plain calls through aiohttp)
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
