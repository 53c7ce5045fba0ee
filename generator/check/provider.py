"""The provider section: its method groups; and the default headers every request carries."""

from __future__ import annotations

from typing import Any

from .. import http_syntax as headers
from .core import Context, Node, rule


@rule("provider")
def groups(ctx: Context, node: Node) -> None:
    names = [g["name"] for g in node.value["groups"]]
    used = {m.get("group") for m in ctx.methods}
    seen: set[str] = set()
    for i, name in enumerate(names):
        if name.lower() in seen:
            ctx.add(("provider", "groups", i, "name"), f"duplicate group '{name}'")
            continue
        seen.add(name.lower())
        if name not in used:
            ctx.add(("provider", "groups", i, "name"), f"group '{name}' has no methods")
    for i, method in enumerate(ctx.methods):
        if method["group"] not in names:
            ctx.add(("methods", i, "group"), f"unknown group '{method['group']}' (known: {', '.join(names)})")


@rule("provider")
def default_headers(ctx: Context, _: Node) -> None:
    defaults: dict[str, Any] = ctx.data.get("headers") or {}
    for name, header in defaults.items():
        headers.check_name(ctx, name, ("headers", name))
        headers.check_value(ctx, header["value"], ("headers", name, "value"))
