"""A sweep for leaks: every client call and every CLI command of every provider, run with known secret
values, in success and in failure, must never show a secret.

Scanned: results' repr and str, the client's repr, every log record (all loggers, DEBUG and up), exception
messages, reprs, args and formatted tracebacks (with their causes), and for the CLI stdout and stderr with
`--debug` and `--test` (the dry run). Secrets are the client credentials the spec marks secret, secret method arguments, and every token the
contract server issued during the run. The one place a secret may show is the result of a token method: the
token is what the caller asked for (stdout of `opi <alias> GetToken`, and the model's dump, never its repr).

Credentials in the query, a path segment and a body field: the same sweep in test_secrets_scan_routes.py
(apart, so that tests/test_extra_specs.py, which runs this file on its extra specs, does not run it again).
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from cli_support import cli_call, opi
from client_support import credentials, example_kwargs, package, provider, providers

from generator.ir import Method, Provider
from generator.mock import Fault, MockServer

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
        if mode.startswith("sync"):  # "sync-httpx": through the httpx.Client layer, not the own pool
            if mode == "sync-httpx":
                options["transport"] = httpx.HTTPTransport()
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


@pytest.mark.parametrize("mode", ["sync", "sync-httpx", "async"])
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



@pytest.mark.parametrize("mode", ["sync", "sync-httpx", "async", "async-httpx"])
@pytest.mark.parametrize("status", [200, 500])
def test_a_password_in_the_base_url_shows_nowhere(caplog: pytest.LogCaptureFixture, mode: str, status: int) -> None:
    """`base_url="https://user:password@host"`: the password is sent (as Basic auth) and shown nowhere: not
    in the client's log or httpx's, not in results, errors or their tracebacks, in no encoded form."""
    from client_support import Canned, a_read_and_its_answer, canned_server

    p, m, body, headers = a_read_and_its_answer()
    pkg = package(p.alias)
    password = "S3cret/pass word"
    forms = {password, "S3cret%2Fpass%20word", "S3cret/pass%20word"}
    answer = Canned(status, body if status == 200 else b'{"message": "down"}', headers)
    options: dict[str, Any] = {"timeout": 2.0, "max_retries": 0, **credentials(p)}
    if mode.endswith("httpx"):
        options["transport"] = httpx.HTTPTransport() if mode.startswith("sync") else httpx.AsyncHTTPTransport()
    with canned_server([answer]) as (url, seen), caplog.at_level(logging.DEBUG):
        options["base_url"] = url.replace("http://", "http://opi-user:S3cret%2Fpass%20word@")
        try:
            if mode.startswith("sync"):
                with pkg.Client(**options) as client:
                    result = getattr(client, m.py_name)(**example_kwargs(p, m))
            else:

                async def run() -> Any:
                    async with pkg.AsyncClient(**options) as client:
                        return await getattr(client, m.py_name)(**example_kwargs(p, m))

                result = asyncio.run(run())
            text = "\n".join([repr(result), str(result), repr(getattr(result, "raw_response", None))])
        except pkg.OpiError as exc:
            assert status != 200
            text = exception_text(exc)
    assert seen, "the call reached the server"
    logged = "\n".join(f"{r.name}: {r.getMessage()}" for r in caplog.records)
    assert "127.0.0.1" in logged, "the log shows the URL, so its scan is not vacuous"
    for form in forms:
        assert form not in text, f"{form!r} in what the call showed"
        assert form not in logged, f"{form!r} in the log"


@pytest.mark.parametrize("extra", [["--debug"], ["--test"]], ids=["debug", "dry-run"])
def test_the_cli_shows_no_password_of_the_base_url(extra: list[str]) -> None:
    from client_support import Canned, a_read_and_its_answer, canned_server

    p, m, body, headers = a_read_and_its_answer()
    args, env = cli_call(p, m, example_kwargs(p, m), credentials(p))
    with canned_server([Canned(200, body, headers)]) as (url, seen):
        env[f"OPI_{p.alias.upper()}_BASE_URL"] = url.replace("http://", "http://opi-user:S3cret%2Fpass%20word@")
        run = opi(*args, *extra, env=env)
    assert run.code == 0, run.err
    assert "127.0.0.1" in run.out + run.err, "the output shows the URL, so its scan is not vacuous"
    assert bool(seen) == (extra == ["--debug"])
    for form in ("S3cret/pass word", "S3cret%2Fpass%20word", "S3cret/pass%20word"):
        assert form not in run.out + run.err
