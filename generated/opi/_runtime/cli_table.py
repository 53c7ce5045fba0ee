"""The rows of the `opi` command tables.

Each provider's `opi.cli.<alias>` module is one `ProviderTable` made of these rows. They are plain tuples
on purpose: `opi --help` and `opi <provider> <Method> --help` read them without importing an HTTP client
or a model library, so the command starts fast. The generator builds every row in one place
(`generator/render/records.py`) and writes only the fields that differ from the defaults here.
"""

from __future__ import annotations

from typing import NamedTuple

# Characters that would act on the terminal (controls, bidirectional overrides): shown escaped.
_TERMINAL_UNSAFE = "[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"


def terminal_safe(text: str) -> str:
    """`text` with every character that would act on the terminal written as its escape (`\\x1b`)."""
    import re  # here, not at module level: `opi` start-up reads these tables without showing a value

    return re.sub(_TERMINAL_UNSAFE, lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


def value_text(value: object) -> str:
    """A default or choice as help and error messages show it: one safe line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return terminal_safe(value)
    import json

    return json.dumps(value, ensure_ascii=False)


class Option(NamedTuple):
    """One `--option` of a command: a method parameter, a credential or an environment switch."""

    name: str  # without dashes, e.g. "order-id"
    kwarg: str  # the Python keyword it becomes
    kind: str  # string|integer|number|boolean|date|datetime|json (of one element for arrays)
    label: str  # type shown in help, e.g. "array of LineItem"
    description: str
    required: bool = False
    default: object = None  # shown in help; the client applies it when the option is absent
    has_default: bool = False
    env: str = ""  # environment variable that can supply the value
    secret: bool = False
    array: bool = False
    choices: tuple[object, ...] = ()
    wire: str = ""  # name in the request (JSON key, form field), for masking secrets in --debug


class Environment(NamedTuple):
    name: str
    url: str
    description: str
    default: bool


class Command(NamedTuple):
    """One spec method as a command."""

    name: str  # PascalCase, as in the docs
    method: str  # the client method
    title: str
    description: str
    group: str
    http: str  # "POST /orders/{id}/refunds"
    doc_url: str
    options: tuple[Option, ...]  # the method's parameters
    credentials: tuple[tuple[str, ...], ...]  # alternatives, each the credential options that suffice
    rules: tuple[str, ...] = ()  # rules across parameters, worded with the options ("exactly one of ...")


class TokenFlow(NamedTuple):
    """How the client gets an OAuth token itself; a dry run answers it with the spec's example."""

    command: str  # the token method's command
    http: str  # "POST /token"
    status: int  # its success status
    answer: str  # JSON text of the spec's example answer
    token_field: str  # dotted path of the token in the answer


class ProviderTable(NamedTuple):
    alias: str
    title: str
    description: str
    client_module: str  # where `Client` lives, imported only to run a command
    environments: tuple[Environment, ...]
    environment_flag: Option | None  # a boolean that selects one environment
    flag_environment: str  # the environment the flag selects
    base_url_env: str
    credentials: tuple[Option, ...]  # every constructor credential of the client
    groups: tuple[str, ...]
    commands: tuple[Command, ...]
    secret_headers: tuple[str, ...]  # headers whose values are credentials
    secret_fields: tuple[str, ...]  # request/answer fields whose values are credentials or tokens
    token_flows: tuple[TokenFlow, ...] = ()
    logins: tuple[str, ...] = ()  # schemes with an OAuth user flow: `opi <alias> login` gets their tokens
    webhook_events: tuple[str, ...] = ()  # the events `opi <alias> webhooks listen|verify` receives
