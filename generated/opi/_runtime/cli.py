"""The `opi` command line: `opi <provider> <Method> --option value ...`.

`opi` lists the providers, `opi <provider>` its methods by group, `opi <provider> <Method> --help` (or the
method with no options) the method's options. Help reads only the generated command tables; the
provider's client (and with it httpx and pydantic) is imported only to run a command (cli_run).

Layers, each importing only those before it: cli_options and cli_exit (tables), cli_output, cli_help,
cli_parse, cli_run (runs a parsed command), and this dispatcher.
"""

from __future__ import annotations

import importlib

from .cli_exit import BAD_ARGUMENTS, INTERRUPTED, OK, UNKNOWN_METHOD, UNKNOWN_PROVIDER
from .cli_help import ProviderEntry, command_help, main_help, provider_help
from .cli_output import say, write
from .cli_parse import UsageError, find, parse, suggest
from .cli_table import ProviderTable

__all__ = ["ProviderEntry", "run"]


def _load_table(package: str, alias: str) -> ProviderTable:
    module = importlib.import_module(f"{package}.{alias}")
    table: ProviderTable = module.TABLE
    return table


def run(providers: tuple[ProviderEntry, ...], argv: list[str], *, version: str, package: str) -> int:
    """The whole command: returns the exit code."""
    if not argv or argv[0] in ("--help", "-h", "help"):
        write("stdout", main_help(providers, version))
        return OK
    if argv[0] == "--version":
        write("stdout", f"opi {version}\n")
        return OK
    alias = find([p.alias for p in providers], argv[0])
    if alias is None:
        aliases = [p.alias for p in providers]
        say(f"opi: unknown provider {argv[0]!r}.{suggest(aliases, argv[0])} Known: {', '.join(aliases)}.")
        return UNKNOWN_PROVIDER
    table = _load_table(package, alias)
    if len(argv) == 1 or argv[1] in ("--help", "-h", "help"):
        write("stdout", provider_help(table))
        return OK
    if argv[1] in ("login", "logout"):
        from .cli_login import is_login, run_login  # here: a login imports httpx

        if is_login(table, argv[1]):
            return run_login(table, argv[1], argv[2:])
    if argv[1] == "webhooks":
        from .cli_webhooks import run_webhooks  # here: it imports the provider's models

        return run_webhooks(table, argv[2:])
    name = find([c.name for c in table.commands], argv[1])
    if name is None:
        names = [c.name for c in table.commands]
        say(
            f"opi {alias}: unknown method {argv[1]!r}.{suggest(names, argv[1])} "
            f"Run `opi {alias}` for the list."
        )
        return UNKNOWN_METHOD
    command = next(c for c in table.commands if c.name == name)
    rest = argv[2:]
    if any(a in ("--help", "-h") for a in rest):
        write("stdout", command_help(table, command))
        return OK
    try:
        invocation = parse(table, command, rest)
    except UsageError as exc:
        if not rest:  # nothing given and something needed: show what it takes
            write("stdout", command_help(table, command))
            return OK
        say(f"opi {alias} {command.name}: {exc}")
        return BAD_ARGUMENTS
    from .cli_run import execute  # here: it imports httpx and the client

    try:
        return execute(invocation)
    except KeyboardInterrupt:
        say(f"opi {alias} {command.name}: interrupted")
        return INTERRUPTED
