"""The runnable examples of a method page: the Python snippet and the bash / Windows batch CLI commands.

They are built from the spec's example values and executed by the test suite, so what a page shows is what
runs. Secrets are shortened in Python and shown as "***" in the CLI (with their environment variable).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from ..ir import Input, Method, Parameter, Provider
from ..kinds import ANSWERS
from .examples import bash_arg, batch_arg, batch_text, cli_text, py_call, py_literal, shorten_secret

CLI = "opi"
SECRET_SHOWN = '"***"'


@dataclass(frozen=True)
class Credential:
    """An auth input a method needs, and whether every auth alternative of the method needs it."""

    input: Input
    required: bool


@dataclass(frozen=True)
class EnvironmentChoice:
    """How the examples select a non-default environment: a Client keyword and a CLI option."""

    keyword: str
    python: str  # Python literal
    option: str
    value: Any
    kind: str  # CLI conversion of `value`
    environment: str  # the environment it selects


@dataclass(frozen=True)
class Examples:
    python: str
    bash: str
    batch: str


def credentials(provider: Provider, method: Method) -> list[Credential]:
    """The inputs of every auth scheme the method can use, in the order the spec names the schemes."""
    schemes = {s.name: s for s in provider.schemes}
    names: list[str] = []
    for alternative in method.auth:
        names.extend(n for n in alternative if n not in names)
    return [
        Credential(i, all(name in alt for alt in method.auth)) for name in names for i in schemes[name].inputs
    ]


def environment_choice(provider: Provider) -> EnvironmentChoice | None:
    """The spec's environment flag if it has one, else its first non-default environment, else nothing."""
    flag = provider.environment_flag
    if flag is not None:
        return EnvironmentChoice(flag.name, "True", flag.option, True, "boolean", flag.environment)
    other = next((e for e in provider.environments if not e.default), None)
    if other is None:
        return None
    return EnvironmentChoice(
        "environment", py_literal(other.name), "environment", other.name, "string", other.name
    )


def example_parameters(method: Method) -> list[tuple[Parameter, Any]]:
    """Parameters the examples pass: every required one and every optional one with an example value, save
    those a rule across parameters leaves out (all but the first of an "exactly one of" group)."""
    out: list[tuple[Parameter, Any]] = []
    left_out = method.example_leaves_out()
    for p in method.parameters:
        if p.is_const or p.py_name in left_out:
            continue
        if p.has_example:
            out.append((p, p.example))
        elif p.required and p.has_default:
            out.append((p, p.default))
    return out


def _input_example(item: Input) -> str:
    value = item.example if item.example is not None else "..."
    return shorten_secret(value) if item.secret else value


def _python_value(p: Parameter, value: Any, indent: int) -> str:
    lead = len(p.py_name) + 1
    if p.type.cli == "date" and isinstance(value, str):
        return f"dt.date.fromisoformat({py_literal(value)})"
    if p.type.cli == "datetime" and isinstance(value, str):
        return f"dt.datetime.fromisoformat({py_literal(value)})"
    if p.secret and isinstance(value, str):
        return py_literal(shorten_secret(value))
    return py_literal(value, indent, lead)


def python_example(provider: Provider, method: Method) -> str:
    args = [f"{c.input.name}={py_literal(_input_example(c.input))}" for c in credentials(provider, method)]
    choice = environment_choice(provider)
    if choice is not None:
        args.append(f"{choice.keyword}={choice.python}")
    params = example_parameters(method)
    lines = []
    if any(p.type.cli in ("date", "datetime") for p, _ in params):
        lines.append("import datetime as dt\n")
    lines.append(f"from opi.{provider.alias} import Client\n")
    lines.append(py_call("with Client", args, 0, " as client:"))
    call = [f"{p.py_name}={_python_value(p, value, 8)}" for p, value in params]
    saved = out_file(method)
    if saved is not None:
        call.append(f"out={py_literal(saved)}")
    lines.append(py_call(f"result = client.{method.py_name}", call, 4))
    if saved is not None or (method.success.model and method.success.python is None):
        lines.append("    print(result.to_json_dict())")
    elif (python := method.success.python or "").startswith("list[") and python[5:-1] in provider.schemas:
        lines.append("    print([item.to_json_dict() for item in result])")  # an array of models
    else:
        lines.append("    print(result)")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class _Option:
    name: str
    text: str  # the value as the CLI reads it
    quoted: bool
    is_json: bool
    secret_env: str | None  # environment variable of a secret option


def _options(provider: Provider, method: Method) -> list[_Option]:
    out: list[_Option] = []
    for c in credentials(provider, method):
        item = c.input
        out.append(_Option(item.option, _input_example(item), True, False, item.env if item.secret else None))
    for p, value in example_parameters(method):
        text, quoted = cli_text(value, p.type.cli)
        if p.secret:
            text = shorten_secret(text)
        out.append(_Option(p.option, text, quoted, p.type.cli == "json", p.env if p.secret else None))
    choice = environment_choice(provider)
    if choice is not None:
        text, quoted = cli_text(choice.value, choice.kind)
        out.append(_Option(choice.option, text, quoted, False, None))
    saved = out_file(method)
    if saved is not None:
        out.append(_Option("out", saved, False, False, None))
    return out


def out_file(method: Method) -> str | None:
    """The file a file method's examples save to (`out=`, `--out`): named after the method, with the
    extension of the provider's file name when the spec gives one."""
    if not ANSWERS[method.success.content].takes_out:
        return None
    suffix = PurePosixPath(method.success.filename or "").suffix
    return method.py_name + (suffix if suffix.isascii() and suffix[1:].isalnum() else ".bin")


def _command(
    provider: Provider,
    method: Method,
    comment: str,
    setenv: Callable[[str, str], str],
    word: Callable[[str, bool, bool], str],
    cont: str,
) -> str:
    options = _options(provider, method)
    head: list[str] = []
    secrets = [o for o in options if o.secret_env]
    if secrets:
        head.append(f"{comment} Secret options can come from the environment instead of the command line:")
        head.extend(f"{comment} {setenv(o.secret_env or '', o.text)}" for o in secrets)
    head.extend(
        f"{comment} --{o.name} takes JSON text or the path to a .json file" for o in options if o.is_json
    )
    words = [f"{CLI} {provider.alias} {method.name}"]
    words.extend(
        f"--{o.name} {SECRET_SHOWN if o.secret_env else word(o.text, o.quoted, o.is_json)}" for o in options
    )
    body = f" {cont}\n  ".join(words)
    return "\n".join([*head, body]) + "\n"


def bash_example(provider: Provider, method: Method) -> str:
    return _command(
        provider,
        method,
        "#",
        lambda env, text: f"export {env}={bash_arg(text, True)}",
        lambda text, quoted, is_json: bash_arg(text, quoted, json_text=is_json),
        "\\",
    )


def batch_example(provider: Provider, method: Method) -> str:
    return _command(
        provider,
        method,
        "REM",
        lambda env, text: f"set {env}={batch_text(text)}",
        lambda text, quoted, is_json: batch_arg(text, quoted),
        "^",
    )


def examples(provider: Provider, method: Method) -> Examples:
    return Examples(
        python_example(provider, method), bash_example(provider, method), batch_example(provider, method)
    )
