"""Rules across parameters: "exactly one of", "at least one of", "all or none of" a group of parameters.

The spec declares them per method (`parameter_groups`); the operation carries them as `features[FEATURE]`,
a tuple of `ParameterRule`. The call loop checks them before anything else, so a broken rule sends nothing
and raises `ParameterGroupError` naming the parameters. A parameter counts as given when its value is not
None (passed as a keyword, or as a field of a `body=` model). The wording (`describe`) is shared by the
docs, the CLI help, the contract server and the OpenAPI export.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .errors import ParameterGroupError

FEATURE = "parameter_groups"
EXACTLY_ONE, AT_LEAST_ONE, ALL_OR_NONE = "exactly_one_of", "at_least_one_of", "all_or_none_of"
RULES = (EXACTLY_ONE, AT_LEAST_ONE, ALL_OR_NONE)

_WORDS = {EXACTLY_ONE: "exactly one of", AT_LEAST_ONE: "at least one of", ALL_OR_NONE: "all or none of"}


def describe(rule: str, names: Sequence[str]) -> str:
    """`exactly one of a, b must be given` (the names as the reader writes them: keywords, options)."""
    return f"{_WORDS[rule]} {', '.join(names)} must be given"


def sentence(rule: str, names: Sequence[str]) -> str:
    """`describe` as a sentence: `Exactly one of a, b must be given.`"""
    text = describe(rule, names)
    return text[:1].upper() + text[1:] + "."


def broken(rule: str, given: int, size: int) -> bool:
    """Whether `given` of a group of `size` parameters breaks the rule."""
    if rule == EXACTLY_ONE:
        return given != 1
    if rule == AT_LEAST_ONE:
        return given == 0
    return 0 < given < size  # ALL_OR_NONE


class ParameterRule:
    """One rule: its kind (a key of `_WORDS`), the Python keywords it names and their wire names."""

    __slots__ = ("names", "rule", "wires")

    def __init__(self, rule: str, names: tuple[str, ...], wires: tuple[str, ...]) -> None:
        self.rule = rule
        self.names = names
        self.wires = wires

    def __repr__(self) -> str:
        return f"ParameterRule({self.rule!r}, {self.names!r}, {self.wires!r})"


def _given(args: Mapping[str, Any], body: Any, rule: ParameterRule) -> int:
    fields: Mapping[str, Any] = {}
    if body is not None:
        dump = getattr(body, "model_dump", None)
        fields = (
            dump(by_alias=True, exclude_none=True)
            if callable(dump)
            else body
            if isinstance(body, Mapping)
            else {}
        )
    return sum(
        1
        for name, wire in zip(rule.names, rule.wires, strict=True)
        if args.get(name) is not None or fields.get(wire) is not None
    )


def check(operation: str, features: Mapping[str, object], args: Mapping[str, Any], body: Any = None) -> None:
    """Raise ParameterGroupError for the first broken rule of an operation; nothing has been sent."""
    rules = features.get(FEATURE)
    if not isinstance(rules, tuple):
        return
    for rule in rules:
        if isinstance(rule, ParameterRule) and broken(rule.rule, _given(args, body, rule), len(rule.names)):
            raise ParameterGroupError(operation, rule.rule, rule.names, describe(rule.rule, rule.names))
