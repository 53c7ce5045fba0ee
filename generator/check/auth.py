"""The auth section: schemes, which of them methods require, and the credentials (inputs) they take."""

from __future__ import annotations

from typing import Any

from ..kinds import AUTH
from ..names import CLIENT_KEYWORDS, RESERVED_CLI_OPTIONS
from ..problems import JsonPath
from .core import Context, Node, rule
from .names import RESERVED_PY, clash


@rule("auth")
def schemes(ctx: Context, node: Node) -> None:
    """Each scheme by the rules of its kind (`generator/kinds/auth`)."""
    for name, scheme in node.value["schemes"].items():
        AUTH[scheme["type"]].check(ctx, name, scheme, ctx.data)


@rule("auth")
def required_schemes(ctx: Context, node: Node) -> None:
    known = node.value["schemes"]
    requires: list[tuple[JsonPath, Any]] = [(("auth", "require"), node.value["require"])]
    for i, method in enumerate(ctx.methods):
        if isinstance(method.get("auth"), list):
            requires.append((("methods", i, "auth"), method["auth"]))
    for path, alternatives in requires:
        for j, alternative in enumerate(alternatives):
            for k, name in enumerate(alternative):
                if name not in known:
                    ctx.add((*path, j, k), f"unknown auth scheme '{name}' (known: {', '.join(known)})")


@rule("auth")
def inputs(ctx: Context, _: Node) -> None:
    seen: dict[str, JsonPath] = {}
    for each in ctx.names.inputs:
        name, path = each.name, each.path
        if name in seen:
            first = seen[name][2]
            ctx.add(path, f"auth input '{name}' is declared twice (first in scheme '{first!s}')", key=True)
        seen.setdefault(name, path)
        # Point at `name:` when the spec chose the name, else at the role that defaults to it.
        at, key = ((*path, "name"), False) if "name" in each.spec else (path, True)
        clashes = clash(name, RESERVED_PY | CLIENT_KEYWORDS)
        if clashes:
            ctx.add(at, f"auth input name '{name}' {clashes}", key=key)
        if each.option in RESERVED_CLI_OPTIONS:
            message = f"auth input name '{name}' collides with the standard CLI option --{each.option}"
            ctx.add(at, message, key=key)
