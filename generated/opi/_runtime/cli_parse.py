"""Parsing one command's arguments: `--name value`, environment variables, values typed per option."""

from __future__ import annotations

import os
from typing import NamedTuple

from .cli_help import command_credentials, credential_rule
from .cli_options import COMMAND_OPTIONS, FLAGS
from .cli_table import Command, Option, ProviderTable
from .masking import url_password


class UsageError(Exception):
    """Bad command line; exits with BAD_ARGUMENTS."""


class Invocation(NamedTuple):
    """A parsed command line, values converted, environment variables applied."""

    table: ProviderTable
    command: Command
    arguments: dict[str, object]  # method keyword -> value (only the options given)
    credentials: dict[str, str]  # client keyword -> value
    secrets: tuple[str, ...]  # every secret value given, for masking output
    environment: str | None
    flag: bool | None
    base_url: str | None
    timeout: float | None
    debug: bool
    test: bool
    out: str | None


def find(names: list[str], wanted: str) -> str | None:
    """The name matching `wanted` case-insensitively."""
    lowered = wanted.lower()
    return next((n for n in names if n.lower() == lowered), None)


def suggest(names: list[str], wanted: str, prefix: str = "") -> str:
    """A "Did you mean ...?" sentence (with a leading space) naming the names close to `wanted`, or ""."""
    import difflib

    close = difflib.get_close_matches(wanted.lower(), [n.lower() for n in names], n=3, cutoff=0.6)
    by_lower = {n.lower(): n for n in names}
    return f" Did you mean {', '.join(prefix + by_lower[c] for c in close)}?" if close else ""


def _options(table: ProviderTable, command: Command) -> dict[str, Option]:
    found: dict[str, Option] = {}
    extra = [table.environment_flag] if table.environment_flag is not None else []
    for option in (*command.options, *command_credentials(table, command), *extra):
        found[option.name] = option
    return found


def _read_argv(argv: list[str], known: dict[str, Option]) -> dict[str, list[str]]:
    """`--name value`, `--name=value`; a boolean option alone means true."""
    from .cli_values import BOOLEAN_WORDS

    given: dict[str, list[str]] = {}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if not arg.startswith("--") or arg == "--":
            raise UsageError(f"unexpected argument {arg!r}; options look like --name value")
        raw, eq, value = arg[2:].partition("=")
        name = raw.lower().replace("_", "-")
        option = known.get(name)
        if option is None and name not in COMMAND_OPTIONS:
            hint = suggest([*known, *COMMAND_OPTIONS], name, "--")
            raise UsageError(f"unknown option --{raw}.{hint} See --help.")
        is_flag = name in FLAGS or (option is not None and option.kind == "boolean" and not option.array)
        if eq:
            text = value
        elif is_flag:
            following = argv[i + 1] if i + 1 < len(argv) else None
            if following is not None and following.lower() in BOOLEAN_WORDS:
                text, i = following, i + 1
            else:
                text = "true"
        elif i + 1 < len(argv):
            text, i = argv[i + 1], i + 1
        else:
            raise UsageError(f"--{name} needs a value")
        given.setdefault(name, []).append(text)
        i += 1
    return given


def _single(given: dict[str, list[str]], name: str) -> str | None:
    texts = given.get(name)
    if not texts:
        return None
    if len(texts) > 1:
        raise UsageError(f"--{name}: given {len(texts)} times; it takes one value")
    return texts[0]


def _flag(given: dict[str, list[str]], name: str) -> bool:
    from .cli_values import BadValue, convert

    text = _single(given, name)
    if text is None:
        return False
    try:
        return bool(convert(Option(name, name, "boolean", "boolean", ""), [text]))
    except BadValue as exc:
        raise UsageError(str(exc)) from None


def _env(name: str) -> str | None:
    value = os.environ.get(name, "")
    return value if value.strip() else None


def parse(table: ProviderTable, command: Command, argv: list[str]) -> Invocation:
    from .cli_values import BadValue, convert

    known = _options(table, command)
    given = _read_argv(argv, known)
    arguments: dict[str, object] = {}
    credentials: dict[str, str] = {}
    secrets: list[str] = []
    missing: list[str] = []
    creds = {o.name for o in command_credentials(table, command)}
    for option in known.values():
        texts = given.get(option.name)
        if not texts and option.env:
            from_env = _env(option.env)
            texts = [from_env] if from_env is not None else None
        if not texts:
            if option.required:
                missing.append(f"--{option.name}" + (f" (or {option.env})" if option.env else ""))
            continue
        if option.secret:
            secrets.extend(t for t in texts if t)
        if option.name in creds:
            if len(texts) > 1:
                raise UsageError(f"--{option.name}: given {len(texts)} times; it takes one value")
            credentials[option.kwarg] = texts[0]
            continue
        if option is table.environment_flag:
            continue
        try:
            arguments[option.kwarg] = convert(option, texts)
        except BadValue as exc:
            raise UsageError(str(exc)) from None
    if missing:
        raise UsageError("missing required option" + ("s " if len(missing) > 1 else " ") + ", ".join(missing))
    if (
        command.credentials
        and not any(
            all(_given_credential(table, name, credentials) for name in names)
            for names in command.credentials
        )
        and not _logged_in(table)
    ):
        raise UsageError(
            credential_rule(command)
            + " Pass them as options or environment variables:\n"
            + "\n".join(f"  --{o.name} or {o.env}" for o in command_credentials(table, command))
            + (f"\nor log in first: opi {table.alias} login" if table.logins else "")
        )
    flag = None
    if table.environment_flag is not None and table.environment_flag.name in given:
        flag = _flag(given, table.environment_flag.name)
    environment = _single(given, "environment")
    if environment is not None:
        match = find([e.name for e in table.environments], environment)
        if match is None:
            names = ", ".join(e.name for e in table.environments)
            raise UsageError(f"--environment: expected one of {names}, got {environment!r}")
        environment = match
    timeout = None
    timeout_text = _single(given, "timeout")
    if timeout_text is not None:
        try:
            timeout = float(convert(Option("timeout", "timeout", "number", "number", ""), [timeout_text]))
        except BadValue as exc:
            raise UsageError(str(exc)) from None
        if timeout <= 0:
            raise UsageError(f"--timeout: expected a positive number of seconds, got {timeout_text!r}")
    base_url = _single(given, "base-url") or _env(table.base_url_env)
    secrets += url_password(base_url or "")  # `https://user:password@host`: shown nowhere either
    return Invocation(
        table=table,
        command=command,
        arguments=arguments,
        credentials=credentials,
        secrets=tuple(sorted(set(secrets), key=len, reverse=True)),
        environment=environment,
        flag=flag,
        base_url=base_url,
        timeout=timeout,
        debug=_flag(given, "debug"),
        test=_flag(given, "test"),
        out=_single(given, "out"),
    )


def _given_credential(table: ProviderTable, name: str, credentials: dict[str, str]) -> bool:
    option = next(o for o in table.credentials if o.name == name)
    return bool(credentials.get(option.kwarg))


def _logged_in(table: ProviderTable) -> bool:
    """Whether `opi <alias> login` kept tokens for one of the provider's user-flow schemes."""
    if not table.logins:
        return False
    from . import token_store

    store = token_store.store()
    return any(store.load(token_store.key(table.alias, name)) for name in table.logins)
