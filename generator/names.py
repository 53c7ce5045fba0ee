"""Name derivation, done once while building the IR so templates never compute names."""

from __future__ import annotations

import builtins
import keyword
import re

from . import runtime_api
from .module_names import CLIENT_NAMES, MODELS_NAMES
from .runtime import cli_options

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+|[0-9]+")

# Options every `opi` command has (the runtime parser's own table); a spec parameter or credential with one
# of these names would shadow it.
RESERVED_CLI_OPTIONS = cli_options.RESERVED

# Keywords every generated client constructor takes besides the spec's credentials and environment flag.
CLIENT_KEYWORDS = runtime_api.client_keywords()

# Members of the generated clients, and the lower-case names their module binds (`dt`, `httpx`, ...): the
# methods' annotations use those, so a method of the same snake_case name would shadow them.
CLIENT_MEMBERS = runtime_api.client_members() | frozenset(n for n in CLIENT_NAMES if n.islower())

PYTHON_RESERVED = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | frozenset(dir(builtins))

# Names a model class cannot take: Python constants, what the generated models module imports or defines
# (the model generator would silently rename such a class, so the client would name a class that does not
# exist), and what the client module imports or defines next to the models it imports.
RESERVED_MODEL_NAMES = frozenset({"None", "True", "False"}) | MODELS_NAMES | CLIENT_NAMES


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
