"""The help texts of `opi`: the providers, a provider's methods, a method's options.

They read only the generated command tables, so help needs neither httpx nor pydantic.
"""

from __future__ import annotations

from typing import NamedTuple

from .cli_exit import EXIT_CODES
from .cli_options import ENVIRONMENT, STANDARD, TOP_LEVEL, Standard
from .cli_table import Command, Option, ProviderTable, value_text

VALUE_RULES = (
    "Values: booleans true or false; numbers may contain spaces and a decimal comma; dates and times",
    "in ISO 8601; objects and arrays as JSON text or a path to a .json file; a single value where an",
    "array is expected becomes a one-item array, and repeating an array option adds items.",
)


class ProviderEntry(NamedTuple):
    alias: str
    title: str
    description: str


def _usage(option: Standard) -> str:
    return f"--{option.name}{' ' + option.placeholder if option.placeholder else ''}"


def main_help(providers: tuple[ProviderEntry, ...], version: str) -> str:
    width = max(len(p.alias) for p in providers) + 2
    environment, base_url = ENVIRONMENT
    lines = [
        f"opi {version}: OPI-style command line for the generated API clients.",
        "",
        "Usage:",
        "  opi <provider>                           list the provider's methods",
        "  opi <provider> <Method> --help           list a method's options",
        "  opi <provider> <Method> [--option value ...]",
        "",
        "Providers:",
        *(f"  {p.alias.ljust(width)} {p.title}" for p in providers),
        "",
        "Methods are PascalCase as in the docs and matched case-insensitively. Secrets can come from",
        "environment variables (OPI_<PROVIDER>_<OPTION>), which keeps them out of shell history.",
        "",
        "Options of every method:",
        f"  {_usage(environment)}, {_usage(base_url)} (or OPI_<PROVIDER>_BASE_URL), "
        + ", ".join(_usage(s) for s in STANDARD),
        "",
        "Exit codes:",
        *(f"  {code:<3} {meaning}" for code, meaning in EXIT_CODES),
        "",
        *(f"  --{s.name}  {s.description}" for s in TOP_LEVEL),
    ]
    return "\n".join(lines) + "\n"


def provider_help(table: ProviderTable) -> str:
    width = max(len(c.name) for c in table.commands) + 2
    lines = [
        f"{table.title}: {table.description}",
        "",
        f"Usage: opi {table.alias} <Method> [--option value ...]",
        f"       opi {table.alias} <Method> --help",
    ]
    if table.logins:  # OAuth user flows: the tokens come from a login
        lines += [
            f"       opi {table.alias} login [--scheme {'|'.join(table.logins)}]   (then logout to forget the tokens)"
        ]
    for group in table.groups:
        lines += ["", f"{group}:"]
        lines += [f"  {c.name.ljust(width)} {c.description}" for c in table.commands if c.group == group]
    if table.webhook_events:
        lines += [
            "",
            "Webhooks (events the provider sends to your URL):",
            f"  {'webhooks listen'.ljust(width)} serve a receiver on 127.0.0.1 that prints each verified event"
            " (--port N --secret-env NAME)",
            f"  {'webhooks verify'.ljust(width)} check one saved delivery (--body FILE --header 'Name: value' ...)",
            f"  Events: {', '.join(table.webhook_events)}",
        ]
    return "\n".join(lines) + "\n"


def _placeholder(option: Option) -> str:
    return f"<{option.label}>"


def _option_lines(option: Option, *, extra: str = "") -> list[str]:
    facts = []
    if option.required:
        facts.append("required")
    elif option.has_default:
        facts.append(f"default: {value_text(option.default)}")
    if option.choices:
        facts.append("one of: " + ", ".join(value_text(c) for c in option.choices))
    if option.kind == "json" or option.array:
        facts.append("JSON text or a .json file")
    if option.env:
        facts.append(f"env: {option.env}")
    if option.secret:
        facts.append("secret")
    head = f"  --{option.name} {_placeholder(option)}"
    if facts:
        head += "  (" + "; ".join(facts) + ")"
    text = option.description.strip()
    if extra:
        text = f"{text} {extra}".strip()
    return [head, f"      {text}"] if text else [head]


def command_credentials(table: ProviderTable, command: Command) -> tuple[Option, ...]:
    """The credential options the command can use."""
    wanted = {name for names in command.credentials for name in names}
    return tuple(o for o in table.credentials if o.name in wanted)


def credential_rule(command: Command) -> str:
    ways = []
    for names in command.credentials:
        flags = [f"--{name}" for name in names]
        ways.append(flags[0] if len(flags) == 1 else ", ".join(flags[:-1]) + " and " + flags[-1])
    return "Credentials needed: " + (" or ".join(ways) if len(ways) > 1 else ways[0]) + "."


def command_help(table: ProviderTable, command: Command) -> str:
    required = " ".join(f"--{o.name} {_placeholder(o)}" for o in command.options if o.required)
    lines = [
        f"opi {table.alias} {command.name}: {command.title}",
        command.description,
        "",
        f"Usage: opi {table.alias} {command.name} {required + ' ' if required else ''}[options]",
        f"HTTP: {command.http}",
    ]
    if command.options:
        lines += ["", "Parameters:"]
        for option in command.options:
            lines += _option_lines(option)
        lines += [f"  {rule}" for rule in command.rules]
    creds = command_credentials(table, command)
    if creds:
        lines += ["", "Credentials (each can also come from its environment variable):"]
        for option in creds:
            lines += _option_lines(option)
        lines += [f"  {credential_rule(command)}"]
    lines += ["", "Environment:"]
    if table.environment_flag is not None:
        lines += _option_lines(table.environment_flag, extra=f"(selects '{table.flag_environment}')")
    envs = "; ".join(f"{e.name}{' (default)' if e.default else ''}: {e.url}" for e in table.environments)
    environment, base_url = ENVIRONMENT
    lines += [
        f"  {_usage(environment)}",
        f"      {envs}",
        f"  {_usage(base_url)}  (env: {table.base_url_env})",
        f"      {base_url.description}",
    ]
    lines += ["", "Standard:"]
    for std in STANDARD:
        lines += [f"  {_usage(std)}", f"      {std.description}"]
    lines += ["", *VALUE_RULES]
    if command.doc_url:
        lines += ["", f"Method at API documentation: {command.doc_url}"]
    return "\n".join(lines) + "\n"
