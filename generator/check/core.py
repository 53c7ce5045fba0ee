"""The checker's frame: the context rules report into, the rule registry and the one walker that runs them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import IntEnum
from functools import cached_property
from typing import Any

from ..jsonschema_form import to_json_schema
from ..load import Document
from ..naming import SpecNames
from ..problems import JsonPath, Problem


class Phase(IntEnum):
    STRUCTURE = 0  # the format schema, then what would make later rules unsafe (bad $refs, loops, patterns)
    SEMANTICS = 1  # everything else; runs only on a document the format schema passed


# The spec sections and nodes a rule can check, in the order the walker visits them. "document" is the whole
# spec (the format schema); "parameters" to "idempotency" are visited once per method.
SCOPES = (
    "document", "schemas", "provider", "environments", "auth", "errors", "methods",
    "parameters", "bodies", "responses", "idempotency", "names", "webhooks",
)
# Per-method scopes and the key of the method they read.
_PER_METHOD = {
    "parameters": "parameters", "bodies": "body", "responses": "responses", "idempotency": "idempotency",
}


@dataclass(frozen=True)
class Node:
    """What the walker hands a rule: one node of the rule's scope and where it is."""

    path: JsonPath
    value: Any
    method: dict[str, Any] = field(default_factory=dict)  # per-method scopes: the method holding the node
    index: int = -1  # ... and its position in `methods`


class Context:
    """One document under check and the problems found so far."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.data: dict[str, Any] = doc.data
        self.problems: list[Problem] = []
        self.schemas_usable = True  # False when refs dangle, loop or patterns do not compile

    # Lazy: read only once the format schema has passed, so the keys it requires are there.
    @cached_property
    def schemas(self) -> dict[str, Any]:
        return self.data.get("schemas") or {}

    @cached_property
    def methods(self) -> list[dict[str, Any]]:
        methods: list[dict[str, Any]] = self.data["methods"]
        return methods

    @cached_property
    def defs(self) -> dict[str, Any]:
        defs: dict[str, Any] = to_json_schema(self.schemas)
        return defs

    @cached_property
    def names(self) -> SpecNames:
        return SpecNames.of(self.data)

    def add(self, path: JsonPath, message: str, *, key: bool = False) -> None:
        self.problems.append(self.doc.problem(path, message, key=key))


Rule = Callable[[Context, Node], None]
_RULES: dict[tuple[Phase, str], list[Rule]] = {}


def rule(scope: str, phase: Phase = Phase.SEMANTICS) -> Callable[[Rule], Rule]:
    """Register a rule for every node of `scope`; rules of one scope run in the order they are defined."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")

    def register(fn: Rule) -> Rule:
        _RULES.setdefault((phase, scope), []).append(fn)
        return fn

    return register


def _nodes(ctx: Context, scope: str) -> Iterator[Node]:
    if scope in ("document", "names"):
        yield Node((), ctx.data)
    elif scope in _PER_METHOD:
        key = _PER_METHOD[scope]
        for i, method in enumerate(ctx.methods):
            yield Node(("methods", i, key), method.get(key), method, i)
    else:
        yield Node((scope,), ctx.schemas if scope == "schemas" else ctx.data.get(scope))


def walk(ctx: Context) -> None:
    """Every registered rule on every node of its scope: phase by phase, scope by scope."""
    for phase in Phase:
        for scope in SCOPES:
            rules = _RULES.get((phase, scope), [])
            for node in _nodes(ctx, scope) if rules else ():
                for fn in rules:
                    fn(ctx, node)
            if phase is Phase.STRUCTURE and scope == "document" and ctx.problems:
                return  # the format schema refused it: no other rule can trust the document's shape
        if phase is Phase.STRUCTURE:
            ctx.schemas_usable = not ctx.problems
