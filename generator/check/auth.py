"""The auth section: schemes, which of them methods require, and the credentials (inputs) they take."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..names import CLIENT_KEYWORDS, RESERVED_CLI_OPTIONS
from ..problems import JsonPath
from . import headers
from .core import Context, Node, rule
from .names import RESERVED_PY, clash


def check_api_key(ctx: Context, name: str, scheme: dict[str, Any]) -> None:
    """The prefix goes into the header before the key."""
    headers.check_prefix(ctx, scheme.get("prefix", ""), ("auth", "schemes", name, "prefix"))


def check_oauth2(ctx: Context, name: str, scheme: dict[str, Any]) -> None:
    """The client calls the token method for a token, so it must exist and must not need this scheme."""
    token_method = {m["name"]: m for m in ctx.methods}.get(scheme["token_method"])
    at: JsonPath = ("auth", "schemes", name, "token_method")
    if token_method is None:
        ctx.add(at, f"unknown method '{scheme['token_method']}'")
        return
    needs = token_method.get("auth", ctx.data["auth"]["require"])
    if needs != "none" and any(name in alternative for alternative in needs):
        ctx.add(
            at,
            f"token method '{token_method['name']}' cannot itself need scheme '{name}' "
            "(give it 'auth: none' or another scheme)",
        )


# Rules of one scheme type, by its `type`.
AUTH_RULES: dict[str, Callable[[Context, str, dict[str, Any]], None]] = {
    "api_key": check_api_key,
    "oauth2": check_oauth2,
}


@rule("auth")
def schemes(ctx: Context, node: Node) -> None:
    for name, scheme in node.value["schemes"].items():
        kind_rule = AUTH_RULES.get(scheme["type"])
        if kind_rule is not None:
            kind_rule(ctx, name, scheme)


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
