"""Name derivation, done once while building the IR so templates never compute names."""

from __future__ import annotations

import builtins
import keyword
import re

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+|[0-9]+")

# Options every `opi` command has; a spec parameter or credential with one of these names would shadow it.
RESERVED_CLI_OPTIONS = frozenset({"environment", "base-url", "timeout", "debug", "test", "out", "help", "version"})

PYTHON_RESERVED = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | frozenset(dir(builtins))


def words(name: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(name)]


def snake(name: str) -> str:
    return "_".join(words(name))


def kebab(name: str) -> str:
    return "-".join(words(name))


def pascal(name: str) -> str:
    return "".join(w.capitalize() for w in words(name))


def slug(title: str) -> str:
    """Docs slug as OPI makes it: the title's words joined by hyphens, first letter kept."""
    parts = re.findall(r"[^\W_]+", title)
    return "-".join(parts)


def env_var(alias: str, option: str) -> str:
    return f"OPI_{alias.upper()}_{option.upper().replace('-', '_')}"
