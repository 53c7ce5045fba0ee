"""Running one parsed `opi` command on the provider's generated client.

Imported only to run a command: this is where httpx and the client (with pydantic) are loaded. The
client is given an httpx transport of ours: with --debug it prints every request and answer (secrets
masked), with --test it captures the method's request and stops before anything leaves the machine.
"""

from __future__ import annotations

import importlib
import json
import logging
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from . import cli_files, cli_pages, errors, param_groups
from .cli_debug import tapped
from .cli_exit import API_ERROR, BAD_ANSWER, BAD_ARGUMENTS, NETWORK_ERROR, OK, OTHER_ERROR, UNCERTAIN_WRITE
from .cli_output import say, write
from .cli_parse import Invocation
from .cli_redact import Redactor as _Redactor
from .cli_redact import textual as _textual
from .cli_table import TokenFlow
from .response import RawResponse

DRY_RUN_TOKEN = "dry-run-token"


class _DryRun(Exception):
    """Raised by the dry-run transport with the request the client was about to send."""

    def __init__(self, request: httpx.Request) -> None:
        super().__init__("dry run")
        self.request = request


def _request_content(request: httpx.Request) -> bytes | None:
    """A request's body, or None when it is streamed (from files) and so not read here."""
    try:
        return request.content
    except httpx.RequestNotRead:
        return None


def _debug_request(redact: _Redactor, request: httpx.Request) -> None:
    lines = [f"> {request.method} {redact.text(str(request.url))}"]
    lines += [f"> {k}: {v}" for k, v in redact.header_map(request.headers).items()]
    body = redact.body(_request_content(request), request.headers.get("content-type", ""))
    if body is not None:
        lines += [">", *("> " + line for line in _pretty(body).splitlines())]
    say("\n".join(lines))


def _status_lines(redact: _Redactor, response: httpx.Response, seconds: float) -> list[str]:
    lines = [f"< {response.status_code} {response.reason_phrase} ({seconds * 1000:.0f} ms)"]
    return lines + [f"< {k}: {v}" for k, v in redact.header_map(response.headers).items()]


def _debug_response(redact: _Redactor, response: httpx.Response, seconds: float) -> None:
    lines = _status_lines(redact, response, seconds)
    body = redact.body(response.content, response.headers.get("content-type", "json"))
    if body is not None:
        lines += ["<", *("< " + line for line in _pretty(body).splitlines())]
    say("\n".join(lines))


class _DebugTransport(httpx.BaseTransport):
    """Sends through httpx's own transport and prints each exchange to stderr."""

    def __init__(self, redact: _Redactor) -> None:
        self._inner = httpx.HTTPTransport()
        self._redact = redact

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        _debug_request(self._redact, request)
        start = time.perf_counter()
        try:
            response = self._inner.handle_request(request)
        except httpx.TransportError as exc:
            say(f"< no answer: {type(exc).__name__}: {self._redact.text(str(exc))}")
            raise
        if not _textual(response.headers.get("content-type", "json")):  # a file: its head and size only
            return tapped(
                response, request, _status_lines(self._redact, response, time.perf_counter() - start)
            )
        response.read()
        _debug_response(self._redact, response, time.perf_counter() - start)
        return response

    def close(self) -> None:
        self._inner.close()


def _path_pattern(path: str) -> re.Pattern[str]:
    parts = re.split(r"\{[^{}]+\}", path)
    return re.compile(".*" + "[^/]+".join(re.escape(p) for p in parts) + "$")


def _with_token(answer: str, path: str) -> dict[str, Any]:
    """The example token answer with a stand-in token at `path` (dotted)."""
    try:
        data = json.loads(answer)
    except ValueError:
        data = None
    root: dict[str, Any] = data if isinstance(data, dict) else {}
    node = root
    *parents, last = path.split(".")
    for part in parents:
        child = node.get(part)
        node[part] = child = child if isinstance(child, dict) else {}
        node = child
    node[last] = DRY_RUN_TOKEN
    return root


class _DryRunTransport(httpx.BaseTransport):
    """Stops at the method's request. A token request the client makes first gets the spec's example
    answer (with a stand-in token), so the method's own request can be shown."""

    def __init__(self, flows: list[TokenFlow], on_token: Callable[[httpx.Request], None]) -> None:
        self._flows = [(f, f.http.split(" ", 1)[0], _path_pattern(f.http.split(" ", 1)[1])) for f in flows]
        self._on_token = on_token

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        for flow, verb, pattern in self._flows:
            if request.method == verb and pattern.match(request.url.path):
                self._on_token(request)
                return httpx.Response(
                    flow.status, json=_with_token(flow.answer, flow.token_field), request=request
                )
        raise _DryRun(request)


def _pretty(data: Any) -> str:
    if isinstance(data, str):
        return data
    return json.dumps(data, ensure_ascii=False, indent=2)


def _emit(text: str, out: str | None) -> int:
    if out is None:
        write("stdout", text)
        return OK
    try:
        Path(out).write_text(text, encoding="utf-8")
    except OSError as exc:
        say(f"opi: cannot write {out}: {exc.strerror or exc}")
        return OTHER_ERROR
    say(f"opi: result written to {out}")
    return OK


def _answer_data(result: Any) -> Any:
    if isinstance(result, RawResponse):
        if not result.content:
            return None
        try:
            return result.json()
        except ValueError:
            return result.text
    if isinstance(result, list):  # a top-level array answer
        return [_answer_data(item) for item in result]
    to_json = getattr(result, "to_json_dict", None)
    return to_json() if callable(to_json) else result


def _raw_body(raw: RawResponse) -> Any:
    try:
        return raw.json()
    except ValueError:
        return raw.text or None


def _option_of(inv: Invocation, field: str) -> str:
    """A client keyword path ("basket_items[0].sku") as the option the user typed."""
    head = re.split(r"[.\[]", field, maxsplit=1)[0]
    option = next((o for o in inv.command.options if o.kwarg == head), None)
    return f"--{option.name}{field[len(head) :]}" if option else field


def _client(inv: Invocation, transport: httpx.BaseTransport | None, redact: _Redactor) -> Any:
    module = importlib.import_module(inv.table.client_module)
    kwargs: dict[str, Any] = dict(inv.credentials)
    if "on_tokens" in module.Client.__init__.__kwdefaults__:  # a provider with refresh tokens
        from .cli_login import stand_ins, stored

        # A dry run neither refreshes nor reads the stored tokens: a stand-in token shows the request.
        found, on_tokens = (
            (stand_ins(inv.table, inv.credentials, DRY_RUN_TOKEN), None)
            if inv.test
            else stored(inv.table, inv.credentials)
        )
        secret = {o.kwarg for o in inv.table.credentials if o.secret}
        for name, value in found.items():
            if name in secret:
                redact.masker.add(value)
        kwargs |= found
        if on_tokens is not None:
            kwargs["on_tokens"] = on_tokens
    if inv.environment is not None:
        kwargs["environment"] = inv.environment
    flag = inv.table.environment_flag
    if flag is not None and inv.flag is not None:
        kwargs[flag.kwarg] = inv.flag
    if inv.base_url is not None:
        kwargs["base_url"] = inv.base_url
    if inv.timeout is not None:
        kwargs["timeout"] = inv.timeout
    return module.Client(transport=transport, **kwargs)


def _check_out(out: str | None) -> str | None:
    if out is None:
        return None
    path = Path(out)
    if path.is_dir():
        return f"--out: {out} is a directory"
    if not path.parent.is_dir():
        return f"--out: folder {path.parent} does not exist"
    return None


def _dry_run(
    inv: Invocation, redact: _Redactor, request: httpx.Request, token_requests: list[httpx.Request]
) -> int:
    for token in token_requests:
        say(
            f"opi: dry run: the client would first get an access token: {token.method} "
            f"{redact.text(str(token.url))}"
        )
    shown = {
        "method": request.method,
        "url": redact.text(str(request.url)),
        "headers": redact.header_map(request.headers),
        "body": redact.body(_request_content(request), request.headers.get("content-type", "")),
    }
    say("opi: dry run: nothing was sent")
    return _emit(_pretty(shown) + "\n", inv.out)


def execute(inv: Invocation) -> int:
    """Call the method; print the answer or the error; return the exit code."""
    name = f"opi {inv.table.alias} {inv.command.name}"
    problem = _check_out(inv.out)
    if problem:
        say(f"{name}: {problem}")
        return BAD_ARGUMENTS
    redact = _Redactor(inv.table, inv.secrets)
    token_requests: list[httpx.Request] = []
    transport: httpx.BaseTransport | None = None
    if inv.test:
        flows = [f for f in inv.table.token_flows if f.command != inv.command.name]
        transport = _DryRunTransport(flows, token_requests.append)
    elif inv.debug:
        transport = _DebugTransport(redact)
        logging.basicConfig(stream=sys.stderr, format="opi: %(message)s")
        logging.getLogger("opi").setLevel(logging.INFO)  # retries and lookups
    try:
        client = _client(inv, transport, redact)
    except ValueError as exc:
        say(f"{name}: {redact.text(str(exc))}")
        return BAD_ARGUMENTS
    every, max_items, wrong = cli_pages.take(inv.arguments)
    if wrong:
        say(f"{name}: {wrong}")
        return BAD_ARGUMENTS
    is_file = cli_files.takes_out(inv)
    problem = cli_files.refused(inv) if is_file else None
    if problem:
        say(f"{name}: {problem}")
        return BAD_ARGUMENTS
    try:
        with client:
            if every:  # the items as the pages arrive; a failure midway leaves those printed
                cli_pages.stream(
                    client, inv.command.method, inv.arguments, max_items, inv.out, _shown(redact)
                )
                return OK
            arguments = cli_files.arguments(inv) if is_file else inv.arguments
            result = getattr(client, inv.command.method)(**arguments)
    except _DryRun as stop:
        return _dry_run(inv, redact, stop.request, token_requests)
    except errors.OpiError as exc:
        return _failure(inv, redact, exc)
    if is_file:
        cli_files.done(inv, result)
        return OK
    if result is None:  # an empty answer: nothing to print
        return OK
    # The result is what was asked for (a token method's token included): only given secrets are masked.
    data = redact.data(_answer_data(result), by_field=False)
    return _emit(_pretty(data) + "\n", inv.out)


def _shown(redact: _Redactor) -> Callable[[Any], Any]:
    return lambda data: redact.data(data, by_field=False)


def _failure(inv: Invocation, redact: _Redactor, exc: errors.OpiError) -> int:
    name = f"opi {inv.table.alias} {inv.command.name}"
    if inv.debug:
        say(f"{name}: {type(exc).__module__}.{type(exc).__qualname__}: {redact.text(str(exc))}")
    if isinstance(exc, errors.ParameterGroupError):  # a rule across parameters, worded with the options
        options = [_option_of(inv, keyword) for keyword in exc.parameters]
        say(f"{name}: invalid arguments, nothing was sent: {param_groups.describe(exc.group_rule, options)}")
        return BAD_ARGUMENTS
    if isinstance(exc, errors.ValidationError):
        problems = "; ".join(f"{_option_of(inv, field)}: {rule}" for field, rule in exc.errors)
        say(f"{name}: invalid arguments, nothing was sent: {redact.text(problems)}")
        return BAD_ARGUMENTS
    if isinstance(exc, errors.LoginRequired):  # the refresh token was refused: nothing was sent
        say(f"{name}: {redact.text(str(exc))}")
        return BAD_ARGUMENTS
    if isinstance(exc, errors.CredentialsError):
        say(f"{name}: missing credentials: {redact.text(str(exc))}")
        return BAD_ARGUMENTS
    if isinstance(exc, errors.ApiError):
        say(f"{name}: HTTP {exc.status}: {redact.text(exc.message)}")
        body = _raw_body(exc.raw)
        if body is not None:
            write("stdout", _pretty(redact.data(body)) + "\n")
        return API_ERROR
    if isinstance(exc, errors.UncertainWriteError):
        say(f"{name}: {redact.text(str(exc))}")
        return UNCERTAIN_WRITE
    if isinstance(exc, errors.TransportError):
        say(f"{name}: network failure: {redact.text(str(exc))}")
        return NETWORK_ERROR
    if isinstance(exc, errors.ResponseValidationError):
        say(f"{name}: {redact.text(str(exc))}")
        body = _raw_body(exc.raw)
        if body is not None:
            _emit(_pretty(redact.data(body)) + "\n", inv.out)
        return BAD_ANSWER
    say(f"{name}: {redact.text(str(exc))}")
    return OTHER_ERROR
