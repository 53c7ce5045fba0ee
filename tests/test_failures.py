"""Errors inside success answers and rules across parameters, from the test spec
tests/failure_specs/xchat.yaml: the generated clients (sync and async) and the CLI against the contract
server raise the declared typed error for a 2xx answer that says the call failed (CLI exit 4), refuse a call
that breaks a parameter group before sending anything (the server's request log stays empty; the CLI names
the options), and the contract server, docs and OpenAPI export follow the spec."""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from spec_support import importable

from generator.ir import Provider
from generator.mock import MockServer
from generator.mock.faults import Fault
from generator.pipeline import load_providers

SPEC = Path(__file__).resolve().parent / "failure_specs" / "xchat.yaml"
TOKEN = "xchat-token-s3cr3t"
MODES = ("sync", "async")
INJECTED = "Injected fault: a failure in a success answer"

Generated = tuple[Path, ModuleType, Provider]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    with importable([SPEC], tmp_path_factory.mktemp("failures") / "out") as out:
        yield out, importlib.import_module("opi.xchat"), load_providers([SPEC])[0]


@pytest.fixture
def server(generated: Generated) -> Iterator[MockServer]:
    with MockServer.start(generated[2], credentials={"token": TOKEN}) as started:
        yield started


def call(pkg: ModuleType, url: str, mode: str, method: str, **kwargs: Any) -> Any:
    if mode == "sync":
        with pkg.Client(base_url=url, token=TOKEN, retry_delay=0.01) as client:
            return getattr(client, method)(**kwargs)

    async def run() -> Any:
        async with pkg.AsyncClient(base_url=url, token=TOKEN, retry_delay=0.01) as client:
            return await getattr(client, method)(**kwargs)

    return asyncio.run(run())


def run_cli(out: Path, url: str, *args: str) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPI_")}
    env.update(PYTHONPATH=str(out), OPI_XCHAT_TOKEN=TOKEN)
    code = "import sys; from opi.cli import main; sys.exit(main())"
    proc = subprocess.run([sys.executable, "-c", code, "xchat", *args, "--base-url", url],
                          capture_output=True, text=True, env=env, timeout=60)
    return proc.returncode, proc.stdout, proc.stderr


# --- errors inside success answers -------------------------------------------------------------------------
# method, keywords, the class raised, the message and the code the answer carries
IN_ANSWER = [
    ("post_message", {"channel": "C1", "text": "hi"}, "ApiError", INJECTED, "invalid_arguments"),
    ("lookup_user", {"email": "ann@example.com"}, "NotFoundError", INJECTED, 100),
    ("set_status", {"text": "Lunch"}, "BadRequestError", INJECTED, 3),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("method", "kwargs", "error", "message", "code"), IN_ANSWER)
def test_a_success_answer_carrying_an_error_raises_the_declared_error(
    generated: Generated, server: MockServer, mode: str, method: str, kwargs: dict[str, Any], error: str,
    message: str, code: Any,
) -> None:
    pkg = generated[1]
    route = "".join(part.title() for part in method.split("_"))
    server.set_fault(route, Fault(in_answer=True, times=1))
    with pytest.raises(pkg.ApiError) as caught:
        call(pkg, server.url, mode, method, **kwargs)
    exc = caught.value
    assert type(exc) is getattr(pkg, error)
    assert (exc.status, exc.message, exc.code, exc.in_success_answer) == (200, message, code, True)
    assert isinstance(exc.envelope, dict)
    assert str(exc) == f"{route}: HTTP 200: {message}"
    assert len(server.requests_for(route)) == 1  # raised, not retried
    # The next call (no fault) succeeds: the same method's ordinary answers are results.
    assert call(pkg, server.url, mode, method, **kwargs).raw_response.status_code == 200


@pytest.mark.parametrize("mode", MODES)
def test_a_method_that_opts_out_returns_its_answer(generated: Generated, server: MockServer, mode: str) -> None:
    pkg = generated[1]
    server.set_fault("Ping", Fault(in_answer=True, times=1))  # Ping declares `in_success: none`
    with pytest.raises(pkg.ServerError):  # ... so the fault is the plain injected 500
        call(pkg, server.url, mode, "ping")
    assert call(pkg, server.url, mode, "ping").ok is True


@pytest.mark.parametrize(("method", "args", "code"), [
    ("PostMessage", ["--channel", "C1", "--text", "hi"], "invalid_arguments"),
    ("LookupUser", ["--email", "ann@example.com"], 100),
    ("SetStatus", ["--text", "Lunch"], 3),
])
def test_cli_exits_4_on_an_error_inside_a_success_answer(
    generated: Generated, server: MockServer, method: str, args: list[str], code: Any
) -> None:
    server.set_fault(method, Fault(in_answer=True, times=1))
    status, stdout, stderr = run_cli(generated[0], server.url, method, *args)
    assert status == 4
    assert stderr == f"opi xchat {method}: HTTP 200: {INJECTED}\n"
    assert code in json.loads(stdout).values() or code in json.loads(stdout)["error"].values()
    assert TOKEN not in stdout + stderr


def test_contract_server_answers_an_invalid_call_inside_a_success_answer(server: MockServer) -> None:
    headers = {"authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=server.url, headers=headers) as http:
        # the spec-wide form: ok false, the message in `detail`
        posted = http.post("/chat.postMessage", json={"text": "no channel"})
        # a method's own forms: an `error` object; a non-zero `status`
        looked = http.get("/users.lookup", params={"email": 5, "user": "U1"})
        status = http.post("/status.set", data={"emoji": ":x:"})
        missing = http.post("/chat.postMessage", json={"channel": "C1"})
        bad_token = http.get("/ping", headers={"authorization": "Bearer wrong"})
    assert (posted.status_code, posted.json()) == (
        200, {"ok": False, "error": "invalid_arguments", "detail": "channel is required"})
    assert (looked.status_code, looked.json()) == (
        200, {"error": {"message": "exactly one of email, user must be given", "code": 100}})
    assert (status.status_code, status.json()) == (200, {"status": 3, "status_message": "text is required"})
    assert (missing.status_code, missing.json()["detail"]) == (200, "at least one of text, attachments must be given")
    assert bad_token.status_code == 401  # a bad token keeps the provider's unauthorized answer


# --- rules across parameters ---------------------------------------------------------------------------------
# method, keywords that break its rule, the rule's words, its parameters
BROKEN = [
    ("post_message", {"channel": "C1"}, "at least one of", ("text", "attachments")),
    ("lookup_user", {}, "exactly one of", ("email", "user_id")),
    ("lookup_user", {"email": "a@b.example", "user_id": "U1"}, "exactly one of", ("email", "user_id")),
    ("set_status", {"text": "Lunch", "emoji": ":taco:"}, "all or none of", ("emoji", "expires")),
    ("set_status", {"text": "Lunch", "expires": 1}, "all or none of", ("emoji", "expires")),
]
KEPT = [
    ("post_message", {"channel": "C1", "attachments": ["a.txt"]}),
    ("post_message", {"channel": "C1", "text": "hi", "attachments": ["a.txt"]}),
    ("lookup_user", {"user_id": "U1"}),
    ("set_status", {"text": "Lunch"}),
    ("set_status", {"text": "Lunch", "emoji": ":taco:", "expires": 1}),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("method", "kwargs", "words", "names"), BROKEN)
def test_a_broken_parameter_group_sends_nothing_and_names_the_parameters(
    generated: Generated, server: MockServer, mode: str, method: str, kwargs: dict[str, Any], words: str,
    names: tuple[str, ...],
) -> None:
    pkg = generated[1]
    with pytest.raises(pkg.ParameterGroupError) as caught:
        call(pkg, server.url, mode, method, **kwargs)
    exc = caught.value
    assert isinstance(exc, pkg.ValidationError)
    assert exc.parameters == names
    assert f"{words} {', '.join(names)} must be given" in str(exc)
    assert "nothing was sent" in str(exc)
    assert server.requests == []


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("method", "kwargs"), KEPT)
def test_a_call_that_keeps_the_rule_is_sent(
    generated: Generated, server: MockServer, mode: str, method: str, kwargs: dict[str, Any]
) -> None:
    assert call(generated[1], server.url, mode, method, **kwargs).raw_response.status_code == 200
    [request] = server.requests
    assert request.status == 200


def test_a_body_model_is_checked_too(generated: Generated, server: MockServer) -> None:
    pkg = generated[1]
    body = pkg.PostMessageRequest(channel="C1")
    with pytest.raises(pkg.ParameterGroupError), pkg.Client(base_url=server.url, token=TOKEN) as client:
        client.post_message(body=body)
    assert server.requests == []
    with pkg.Client(base_url=server.url, token=TOKEN) as client:
        client.post_message(body=pkg.PostMessageRequest(channel="C1", text="hi"))
    assert len(server.requests) == 1


@pytest.mark.parametrize(("method", "args", "expected"), [
    ("PostMessage", ["--channel", "C1"], "at least one of --text, --attachments must be given"),
    ("LookupUser", [], "exactly one of --email, --user-id must be given"),
    ("LookupUser", ["--email", "a@b.example", "--user-id", "U1"], "exactly one of --email, --user-id must be given"),
    ("SetStatus", ["--text", "Lunch", "--expires", "5"], "all or none of --emoji, --expires must be given"),
])
def test_cli_names_the_options_of_a_broken_group_and_sends_nothing(
    generated: Generated, server: MockServer, method: str, args: list[str], expected: str
) -> None:
    status, stdout, stderr = run_cli(generated[0], server.url, method, *args)
    assert (status, stdout) == (3, "")
    assert stderr == f"opi xchat {method}: invalid arguments, nothing was sent: {expected}\n"
    assert server.requests == []


def test_cli_help_shows_the_rules(generated: Generated, server: MockServer) -> None:
    status, stdout, _ = run_cli(generated[0], server.url, "LookupUser", "--help")
    assert status == 0
    lines = stdout.splitlines()
    rule = lines.index("  Exactly one of --email, --user-id must be given.")
    assert lines.index("Parameters:") < rule < lines.index("Credentials (each can also come from its environment variable):")
    status, stdout, _ = run_cli(generated[0], server.url, "SetStatus", "--help")
    assert "  All or none of --emoji, --expires must be given." in stdout.splitlines()


# --- docs and OpenAPI ----------------------------------------------------------------------------------------
def page(out: Path, name: str) -> str:
    return (out / "docs" / "Chat-Failures" / "Chat" / f"{name}.md").read_text(encoding="utf-8")


def test_docs_show_the_rules_and_the_errors_inside_answers(generated: Generated) -> None:
    out = generated[0]
    lookup = page(out, "Look-up-user")
    table_end = lookup.index("| `user_id` | `--user-id` |")
    rule = lookup.index("Exactly one of `email` (`--email`), `user_id` (`--user-id`) must be given.")
    assert table_end < rule < lookup.index("Returns:")
    assert ("when it has `error`, the call raises `NotFoundError` (the CLI exits with code 4) with the "
            "provider's message from `error.message` and its code from `error.code`.") in lookup
    # The examples keep the rule: one of the two, never both.
    python = lookup[lookup.index("```python"):]
    python = python[: python.index("```\n", 10)]
    assert 'lookup_user(email="ann@example.com")' in python and "user_id=" not in python
    status = page(out, "Set-status")
    assert "All or none of `emoji` (`--emoji`), `expires` (`--expires`) must be given." in status
    assert "when its `status` is not `0`, the call raises `BadRequestError`" in status
    post = page(out, "Post-message")
    assert "when its `ok` is `false`, the call raises `ApiError`" in post
    assert "from `detail`, `error` and its code from `error`." in post
    assert "success answer" not in page(out, "Ping")


def test_openapi_exports_the_rules_and_the_errors_inside_answers(generated: Generated) -> None:
    from openapi_spec_validator import validate

    doc = json.loads((generated[0] / "openapi" / "xchat.json").read_text(encoding="utf-8"))
    validate(doc)
    lookup = doc["paths"]["/users.lookup"]["get"]
    assert lookup["x-opi-parameter-groups"] == [{"rule": "exactly_one_of", "parameters": ["email", "user"]}]
    assert "Exactly one of `email`, `user` must be given." in lookup["description"]
    assert lookup["x-opi-error-in-success"]["field"] == "error"
    assert lookup["x-opi-error-in-success"]["error"] == "NotFoundError"
    post = doc["paths"]["/chat.postMessage"]["post"]
    schema = post["requestBody"]["content"]["application/json"]["schema"]
    assert schema["allOf"][1] == {"anyOf": [{"required": ["text"]}, {"required": ["attachments"]}]}
    form = doc["paths"]["/status.set"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]
    assert form["schema"]["allOf"][1] == {"dependentRequired": {"emoji": ["expires"], "expires": ["emoji"]}}
    assert "x-opi-error-in-success" not in doc["paths"]["/ping"]["get"]


def test_the_format_lists_exactly_the_runtime_rules_and_error_classes() -> None:
    from generator.check.spec_format import format_schema
    from generator.runtime import errors, param_groups

    defs = format_schema()["$defs"]
    assert tuple(defs["parameterGroup"]["properties"]["rule"]["enum"]) == param_groups.RULES
    classes = {name for name in errors.__all__
               if isinstance(getattr(errors, name), type) and issubclass(getattr(errors, name), errors.ApiError)}
    assert set(defs["inSuccess"]["properties"]["class"]["enum"]) == classes


def test_cli_dry_run_refuses_a_broken_group_before_showing_a_request(generated: Generated, server: MockServer) -> None:
    status, stdout, stderr = run_cli(generated[0], server.url, "LookupUser", "--test")
    assert (status, stdout) == (3, "")
    assert "exactly one of --email, --user-id must be given" in stderr
    assert server.requests == []


def test_cli_debug_shows_the_error_class_and_masks_the_token(generated: Generated, server: MockServer) -> None:
    server.set_fault("LookupUser", Fault(in_answer=True, times=1))
    status, stdout, stderr = run_cli(generated[0], server.url, "LookupUser", "--email", "a@b.example", "--debug")
    assert status == 4
    assert "opi._runtime.errors.NotFoundError: LookupUser: HTTP 200: " + INJECTED in stderr
    assert "authorization: ***" in stderr.lower()
    assert TOKEN not in stdout + stderr
