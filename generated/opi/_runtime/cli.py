"""The `opi` command line: `opi <provider> <Method> --option value ...`.

`opi` lists the providers, `opi <provider>` its methods by group, `opi <provider> <Method> --help` (or the
method with no options) the method's options. Help reads only the generated command tables; the
provider's client (and with it httpx and pydantic) is imported only to run a command.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import NamedTuple

from .cli_table import Command, Option, ProviderTable, value_text

OK = 0
UNKNOWN_PROVIDER = 1
UNKNOWN_METHOD = 2
BAD_ARGUMENTS = 3
API_ERROR = 4
NETWORK_ERROR = 5
UNCERTAIN_WRITE = 6
BAD_ANSWER = 7
OTHER_ERROR = 99
INTERRUPTED = 130  # Ctrl+C, as shells report it

EXIT_CODES = (
    (OK, "success, or help was shown"),
    (UNKNOWN_PROVIDER, "unknown provider"),
    (UNKNOWN_METHOD, "unknown method"),
    (
        BAD_ARGUMENTS,
        "invalid arguments: unknown or missing option, bad value, missing credentials; nothing sent",
    ),
    (API_ERROR, "the provider answered with an error: status and message on stderr, its body on stdout"),
    (NETWORK_ERROR, "network failure or timeout: no answer came back"),
    (
        UNCERTAIN_WRITE,
        "a write was sent but its outcome is unknown; it was not sent again, check before retrying",
    ),
    (BAD_ANSWER, "the provider answered success but not as its spec says; the answer is printed as received"),
    (OTHER_ERROR, "any other failure (for example the --out file could not be written)"),
)

VALUE_RULES = (
    "Values: booleans true or false; numbers may contain spaces and a decimal comma; dates and times",
    "in ISO 8601; objects and arrays as JSON text or a path to a .json file; a single value where an",
    "array is expected becomes a one-item array, and repeating an array option adds items.",
)


class ProviderEntry(NamedTuple):
    alias: str
    title: str
    description: str


class Standard(NamedTuple):
    """Options every command takes besides its parameters and credentials."""

    name: str
    placeholder: str
    description: str


STANDARD = (
    Standard("timeout", "<seconds>", "Seconds to wait for the provider (default: the client's)."),
    Standard(
        "debug", "", "Print the request and the answer to stderr (secrets masked) and full error details."
    ),
    Standard("test", "", "Dry run: print the exact request that would be sent, as JSON; send nothing."),
    Standard("out", "<file>", "Write the result to FILE (UTF-8 JSON) instead of stdout."),
    Standard("help", "", "Show this help."),
)
_FLAGS = frozenset({"debug", "test", "help"})


class UsageError(Exception):
    """Bad command line; exits with BAD_ARGUMENTS."""


def _write(stream: str, text: str) -> None:
    """UTF-8 whatever the console's locale, so Cyrillic stays readable."""
    out = sys.stdout if stream == "stdout" else sys.stderr
    out.flush()
    out.buffer.write(text.encode("utf-8"))
    out.buffer.flush()


def say(text: str) -> None:
    _write("stderr", text if text.endswith("\n") else text + "\n")


def _find(names: list[str], wanted: str) -> str | None:
    lowered = wanted.lower()
    return next((n for n in names if n.lower() == lowered), None)


def _suggest(names: list[str], wanted: str, prefix: str = "") -> str:
    import difflib

    close = difflib.get_close_matches(wanted.lower(), [n.lower() for n in names], n=3, cutoff=0.6)
    by_lower = {n.lower(): n for n in names}
    return f" Did you mean {', '.join(prefix + by_lower[c] for c in close)}?" if close else ""


# --- help -------------------------------------------------------------------------------------------------


def main_help(providers: tuple[ProviderEntry, ...], version: str) -> str:
    width = max(len(p.alias) for p in providers) + 2
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
        "  --environment <name>, --base-url <url> (or OPI_<PROVIDER>_BASE_URL), "
        + ", ".join(f"--{s.name}{' ' + s.placeholder if s.placeholder else ''}" for s in STANDARD),
        "",
        "Exit codes:",
        *(f"  {code:<3} {meaning}" for code, meaning in EXIT_CODES),
        "",
        "  --version  print the version",
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
    for group in table.groups:
        lines += ["", f"{group}:"]
        lines += [f"  {c.name.ljust(width)} {c.description}" for c in table.commands if c.group == group]
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


def _credential_rule(table: ProviderTable, command: Command) -> str:
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
    creds = _command_credentials(table, command)
    if creds:
        lines += ["", "Credentials (each can also come from its environment variable):"]
        for option in creds:
            lines += _option_lines(option)
        lines += [f"  {_credential_rule(table, command)}"]
    lines += ["", "Environment:"]
    if table.environment_flag is not None:
        lines += _option_lines(table.environment_flag, extra=f"(selects '{table.flag_environment}')")
    envs = "; ".join(f"{e.name}{' (default)' if e.default else ''}: {e.url}" for e in table.environments)
    lines += [
        "  --environment <name>",
        f"      {envs}",
        f"  --base-url <url>  (env: {table.base_url_env})",
        "      Send requests to this URL instead of the environment's (a test server, a proxy).",
    ]
    lines += ["", "Standard:"]
    for std in STANDARD:
        lines += [
            f"  --{std.name}{' ' + std.placeholder if std.placeholder else ''}",
            f"      {std.description}",
        ]
    lines += ["", *VALUE_RULES]
    if command.doc_url:
        lines += ["", f"Method at API documentation: {command.doc_url}"]
    return "\n".join(lines) + "\n"


# --- parsing ------------------------------------------------------------------------------------------------


def _command_credentials(table: ProviderTable, command: Command) -> tuple[Option, ...]:
    wanted = {name for names in command.credentials for name in names}
    return tuple(o for o in table.credentials if o.name in wanted)


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


def _options(table: ProviderTable, command: Command) -> dict[str, Option]:
    found: dict[str, Option] = {}
    extra = [table.environment_flag] if table.environment_flag is not None else []
    for option in (*command.options, *_command_credentials(table, command), *extra):
        found[option.name] = option
    return found


def _read_argv(argv: list[str], known: dict[str, Option]) -> dict[str, list[str]]:
    """`--name value`, `--name=value`; a boolean option alone means true."""
    from .cli_values import BOOLEAN_WORDS

    given: dict[str, list[str]] = {}
    standard = {s.name for s in STANDARD} | {"environment", "base-url"}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if not arg.startswith("--") or arg == "--":
            raise UsageError(f"unexpected argument {arg!r}; options look like --name value")
        raw, eq, value = arg[2:].partition("=")
        name = raw.lower().replace("_", "-")
        option = known.get(name)
        if option is None and name not in standard:
            hint = _suggest([*known, *standard], name, "--")
            raise UsageError(f"unknown option --{raw}.{hint} See --help.")
        is_flag = name in _FLAGS or (option is not None and option.kind == "boolean" and not option.array)
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
    creds = {o.name for o in _command_credentials(table, command)}
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
    if command.credentials and not any(
        all(_given_credential(table, name, credentials) for name in names) for names in command.credentials
    ):
        raise UsageError(
            _credential_rule(table, command)
            + " Pass them as options or environment variables:\n"
            + "\n".join(f"  --{o.name} or {o.env}" for o in _command_credentials(table, command))
        )
    flag = None
    if table.environment_flag is not None and table.environment_flag.name in given:
        flag = _flag(given, table.environment_flag.name)
    environment = _single(given, "environment")
    if environment is not None:
        match = _find([e.name for e in table.environments], environment)
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
    return Invocation(
        table=table,
        command=command,
        arguments=arguments,
        credentials=credentials,
        secrets=tuple(sorted(set(secrets), key=len, reverse=True)),
        environment=environment,
        flag=flag,
        base_url=_single(given, "base-url") or _env(table.base_url_env),
        timeout=timeout,
        debug=_flag(given, "debug"),
        test=_flag(given, "test"),
        out=_single(given, "out"),
    )


def _given_credential(table: ProviderTable, name: str, credentials: dict[str, str]) -> bool:
    option = next(o for o in table.credentials if o.name == name)
    return bool(credentials.get(option.kwarg))


# --- dispatch -----------------------------------------------------------------------------------------------


def _load_table(package: str, alias: str) -> ProviderTable:
    module = importlib.import_module(f"{package}.{alias}")
    table: ProviderTable = module.TABLE
    return table


def run(providers: tuple[ProviderEntry, ...], argv: list[str], *, version: str, package: str) -> int:
    """The whole command: returns the exit code."""
    if not argv or argv[0] in ("--help", "-h", "help"):
        _write("stdout", main_help(providers, version))
        return OK
    if argv[0] == "--version":
        _write("stdout", f"opi {version}\n")
        return OK
    alias = _find([p.alias for p in providers], argv[0])
    if alias is None:
        aliases = [p.alias for p in providers]
        say(f"opi: unknown provider {argv[0]!r}.{_suggest(aliases, argv[0])} Known: {', '.join(aliases)}.")
        return UNKNOWN_PROVIDER
    table = _load_table(package, alias)
    if len(argv) == 1 or argv[1] in ("--help", "-h", "help"):
        _write("stdout", provider_help(table))
        return OK
    name = _find([c.name for c in table.commands], argv[1])
    if name is None:
        names = [c.name for c in table.commands]
        say(
            f"opi {alias}: unknown method {argv[1]!r}.{_suggest(names, argv[1])} "
            f"Run `opi {alias}` for the list."
        )
        return UNKNOWN_METHOD
    command = next(c for c in table.commands if c.name == name)
    rest = argv[2:]
    if any(a in ("--help", "-h") for a in rest):
        _write("stdout", command_help(table, command))
        return OK
    try:
        invocation = parse(table, command, rest)
    except UsageError as exc:
        if not rest:  # nothing given and something needed: show what it takes
            _write("stdout", command_help(table, command))
            return OK
        say(f"opi {alias} {command.name}: {exc}")
        return BAD_ARGUMENTS
    from .cli_run import execute

    try:
        return execute(invocation)
    except KeyboardInterrupt:
        say(f"opi {alias} {command.name}: interrupted")
        return INTERRUPTED
