"""Records: runtime constructor calls as data, written out as Python source by one Jinja filter (`pycode`).

A generated module describes each operation, scheme and command table row as a call of a runtime class
(`Operation(...)`, `Option(...)`). A `Record` holds that call: the class name and its arguments, leaving out
every keyword equal to the runtime class's own default, read from its signature. Templates only place the
code. The output is formatted by ruff afterwards, so only what ruff keeps matters here: the arguments, their
order, and where a trailing comma makes ruff put one item per line.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

Value = Any  # a JSON-like value, a tuple or frozenset of values, a Record, Flat, Rows or Code


@dataclass(frozen=True)
class Record:
    """One call of a runtime class, e.g. `Param("uuid", "uuid", "path", required=True)`."""

    name: str  # the runtime class's name, as the generated module imports it
    args: tuple[Value, ...]
    kwargs: tuple[tuple[str, Value], ...]
    rows: bool  # one argument per line; otherwise on one line while it fits


@dataclass(frozen=True)
class Code:
    """Python source placed as it is, e.g. a reference to another generated name."""

    source: str


@dataclass(frozen=True)
class Flat:
    """A tuple written as Python's repr writes it, nested tuples too: on one line while it fits."""

    items: tuple[Value, ...]


@dataclass(frozen=True)
class Rows:
    """A mapping written one entry per line."""

    items: Mapping[Any, Value]


@cache
def _signature(cls: Callable[..., Any]) -> inspect.Signature:
    return inspect.signature(cls)


def _plain(value: Value) -> Value:
    return value.items if isinstance(value, Flat | Rows) else value


def is_default(value: Value, default: Any) -> bool:
    """Whether `value` may be left out for `default`; False and 0 differ here, as they read differently."""
    value = _plain(value)
    if default is inspect.Parameter.empty:
        return False
    if isinstance(value, Mapping) and isinstance(default, Mapping):
        return dict(value) == dict(default)
    return type(value) is type(default) and bool(value == default)


def record(
    cls: Callable[..., Any],
    /,
    *args: Value,
    keep: Iterable[str] = (),
    rows: bool = False,
    **kwargs: Value,
) -> Record:
    """`cls(*args, **kwargs)` as a Record, without the keywords equal to `cls`'s defaults (save `keep`).

    The arguments are bound to `cls`'s signature first, so a misspelt or missing argument fails here, at
    generation time, not when the generated module is imported.
    """
    parameters = _signature(cls).bind(*args, **kwargs).signature.parameters
    kept = set(keep)
    written = tuple(
        (key, value)
        for key, value in kwargs.items()
        if key in kept or not is_default(value, parameters[key].default)
    )
    return Record(getattr(cls, "__name__", str(cls)), args, written, rows)


def pycode(value: Value) -> str:
    """Python source for a Record or a value; tuples end in a comma, so one of two or more items is one item
    per line, as the command tables read best; lists and mappings stay on one line while they fit."""
    if isinstance(value, Record):
        parts = [*map(pycode, value.args), *(f"{key}={pycode(v)}" for key, v in value.kwargs)]
        if value.rows:
            return f"{value.name}(" + "".join(f"{p}, " for p in parts) + ")"
        return f"{value.name}({', '.join(parts)})"
    if isinstance(value, Code):
        return value.source
    if isinstance(value, Flat):
        items = [pycode(Flat(v) if isinstance(v, tuple) else v) for v in value.items]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if isinstance(value, Rows):
        return "{" + "".join(f"{pycode(k)}: {pycode(v)}, " for k, v in value.items.items()) + "}"
    if isinstance(value, tuple):
        return "(" + "".join(f"{pycode(v)}, " for v in value) + ")"
    if isinstance(value, list):
        return "[" + ", ".join(pycode(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{pycode(k)}: {pycode(v)}" for k, v in value.items()) + "}"
    if isinstance(value, frozenset):
        items = [pycode(v) for v in sorted(value)]
        return f"frozenset({{{', '.join(items)}}})" if items else "frozenset()"
    return repr(value)

