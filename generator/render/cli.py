"""The `opi` command: one pure-data command table per provider plus the entry module listing them.

The tables live in `opi/cli/<alias>.py`, not inside the provider packages: importing `opi.<alias>.x` would
run the provider's `__init__` (client and models, hence httpx and pydantic), and help must start fast.
"""

from __future__ import annotations

import json
from typing import Any

from .. import __version__
from ..ir import AuthScheme, Input, Location, Method, Parameter, Provider
from ..names import RESERVED_CLI_OPTIONS
from ..runtime.cli_table import terminal_safe
from .env import render
from .package import header

_AUTH_HEADERS = ("Authorization",)

Fields = list[tuple[str, str]]


def literal(value: Any) -> str:
    """Python source for a JSON-like value; sequences become tuples, as the table rows declare."""
    if isinstance(value, list | tuple):
        return "(" + "".join(f"{literal(v)}, " for v in value) + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    return repr(value)


_ALWAYS = object()  # a row field without a default
def terminal_text(text: str) -> str:
    """Spec text for the CLI's help: one line, and every character that would act on the terminal escaped."""
    return terminal_safe(" ".join(text.split()))


def _fields(pairs: list[tuple[str, Any, Any]]) -> Fields:
    """(keyword, value, row default) -> keyword arguments, leaving out values equal to the row's default."""
    return [
        (key, literal(value))
        for key, value, default in pairs
        if default is _ALWAYS or type(value) is not type(default) or value != default
    ]


def parameter_option(p: Parameter, env: str) -> Fields:
    element = p.type.item if p.type.is_array and p.type.item is not None else p.type
    return _fields(
        [
            ("name", p.option, _ALWAYS),
            ("kwarg", p.py_name, _ALWAYS),
            ("kind", element.cli, _ALWAYS),
            ("label", p.type.label, _ALWAYS),
            ("description", terminal_text(p.description), _ALWAYS),
            ("required", p.required, False),
            ("default", p.default, None),
            ("has_default", p.has_default, False),
            ("env", env, ""),
            ("secret", p.secret, False),
            ("array", p.type.is_array, False),
            ("choices", p.type.enum, ()),
            ("wire", p.wire, ""),
        ]
    )


def input_option(i: Input) -> Fields:
    return _fields(
        [
            ("name", i.option, _ALWAYS),
            ("kwarg", i.name, _ALWAYS),
            ("kind", "string", _ALWAYS),
            ("label", "string", _ALWAYS),
            ("description", terminal_text(i.description), _ALWAYS),
            ("env", i.env, ""),
            ("secret", i.secret, False),
        ]
    )


def credential_ways(
    provider: Provider, auth: tuple[tuple[str, ...], ...], seen: frozenset[str] = frozenset()
) -> list[tuple[str, ...]]:
    """The sets of credential options that satisfy `auth` (alternatives of scheme names).

    An OAuth scheme is satisfied by its token, or by what its token method needs: that method's required
    parameters the client takes as keywords, plus the credentials of the token method's own auth.
    """
    schemes = {s.name: s for s in provider.schemes}
    inputs = {i.name: i for i in provider.client_inputs}
    ways: list[tuple[str, ...]] = []
    for alternative in auth:
        combos: list[tuple[str, ...]] = [()]
        for name in alternative:
            scheme = schemes[name]
            options = [tuple(i.option for i in scheme.inputs)]
            if scheme.issues_tokens and scheme.token_method and scheme.token_method not in seen:
                token = provider.method(scheme.token_method)
                own = tuple(
                    inputs[p.py_name].option
                    for p in token.parameters
                    if p.required and not p.is_const and p.py_name in inputs
                )
                deeper = credential_ways(provider, token.auth, seen | {scheme.token_method})
                options += [own + more for more in deeper or [()]]
            combos = [c + o for c in combos for o in options]
        ways += [tuple(dict.fromkeys(c)) for c in combos]
    return list(dict.fromkeys(ways))


def _check_names(provider: Provider, method: Method, credentials: set[str]) -> None:
    flag = {provider.environment_flag.option} if provider.environment_flag else set()
    names: set[str] = set()
    for p in method.parameters:
        if p.is_const:
            continue
        clash = {p.option} & (RESERVED_CLI_OPTIONS | credentials | flag | names)
        if clash:
            raise ValueError(
                f"{provider.source_file}: {method.name}: CLI option --{p.option} is already taken "
                f"(standard option, credential or another parameter); set `cli:` on the parameter"
            )
        names.add(p.option)


def _parameter_env(provider: Provider, method: Method, p: Parameter) -> str:
    """Secrets come from the environment; so do a token method's parameters that are client credentials
    (the same variables then serve the token method and the automatic token fetch)."""
    if method.name in {s.token_method for s in provider.schemes}:
        same = next((i for i in provider.client_inputs if i.name == p.py_name), None)
        if same is not None:
            return same.env
    return p.env if p.secret else ""


def command(provider: Provider, method: Method) -> dict[str, Any]:
    ways = credential_ways(provider, method.auth)
    _check_names(provider, method, {o for way in ways for o in way})
    return {
        "fields": _fields(
            [
                ("name", method.name, _ALWAYS),
                ("method", method.py_name, _ALWAYS),
                ("title", terminal_text(method.title), _ALWAYS),
                ("description", terminal_text(method.description), _ALWAYS),
                ("group", method.group, _ALWAYS),
                ("http", f"{method.http_method} {method.path}", _ALWAYS),
                ("doc_url", method.doc_url, _ALWAYS),
            ]
        ),
        "options": [
            parameter_option(p, _parameter_env(provider, method, p))
            for p in method.parameters
            if not p.is_const
        ],
        "credentials": literal(ways),
    }


def _secret_headers(provider: Provider) -> tuple[str, ...]:
    names = [*_AUTH_HEADERS, *(s.header for s in provider.schemes if s.header)]
    names += [
        p.wire for m in provider.methods for p in m.parameters if p.secret and p.location is Location.HEADER
    ]
    return tuple(dict.fromkeys(n.lower() for n in names))


def _secret_fields(provider: Provider) -> tuple[str, ...]:
    names = [s.token_field for s in provider.schemes if s.issues_tokens]
    names += [p.wire for m in provider.methods for p in m.parameters if p.secret]
    return tuple(dict.fromkeys(names))


def token_flow(provider: Provider, scheme: AuthScheme) -> Fields:
    method = provider.method(scheme.token_method or "")
    answer = method.success.example if method.success.has_example else {}
    return _fields(
        [
            ("command", method.name, _ALWAYS),
            ("http", f"{method.http_method} {method.path}", _ALWAYS),
            ("status", method.success.status, _ALWAYS),
            ("answer", json.dumps(answer, sort_keys=True), _ALWAYS),
            ("token_field", scheme.token_field, _ALWAYS),
        ]
    )


def table(provider: Provider) -> dict[str, Any]:
    flag = provider.environment_flag
    return {
        "fields": _fields(
            [
                ("alias", provider.alias, _ALWAYS),
                ("title", terminal_text(provider.title), _ALWAYS),
                ("description", terminal_text(provider.description), _ALWAYS),
                ("client_module", f"opi.{provider.alias}", _ALWAYS),
                ("base_url_env", provider.base_url_env, _ALWAYS),
                ("groups", tuple(g.name for g in provider.groups), _ALWAYS),
                ("secret_headers", _secret_headers(provider), _ALWAYS),
                ("secret_fields", _secret_fields(provider), _ALWAYS),
                ("flag_environment", flag.environment if flag else "", _ALWAYS),
            ]
        ),
        "environments": [
            literal((e.name, e.url, terminal_text(e.description), e.default))
            for e in provider.environments
        ],
        "flag": None
        if flag is None
        else _fields(
            [
                ("name", flag.option, _ALWAYS),
                ("kwarg", flag.name, _ALWAYS),
                ("kind", "boolean", _ALWAYS),
                ("label", "boolean", _ALWAYS),
                ("description", terminal_text(flag.description), _ALWAYS),
                ("default", False, None),
                ("has_default", True, False),
            ]
        ),
        "credentials": [input_option(i) for i in provider.client_inputs],
        "token_flows": [
            token_flow(provider, s) for s in provider.schemes if s.issues_tokens and s.token_method
        ],
        "commands": [command(provider, m) for m in provider.methods],
    }


def render_cli_table(provider: Provider) -> dict[str, str]:
    return {
        f"opi/cli/{provider.alias}.py": render(
            "cli/table.py.j2", t=table(provider), p=provider, header=header(provider)
        )
    }


def render_cli_entry(providers: list[Provider]) -> dict[str, str]:
    entries = [literal((p.alias, terminal_text(p.title), terminal_text(p.description))) for p in providers]
    return {"opi/cli/__init__.py": render("cli/entry.py.j2", entries=entries, version=literal(__version__))}
