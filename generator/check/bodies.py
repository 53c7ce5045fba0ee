"""Request bodies: a method's `body` declaration against its `in: body` parameters, and per content type."""

from __future__ import annotations

from typing import Any

from ..kinds import BODIES
from .core import Context, Node, rule


@rule("bodies")
def declaration(ctx: Context, node: Node) -> None:
    body: dict[str, Any] | None = node.value
    params = node.method.get("parameters") or []
    body_params = [j for j, p in enumerate(params) if p["in"] == "body"]
    if body and not body_params:
        ctx.add(node.path, "body declared but no parameter is 'in: body'", key=True)
    if body_params and not body:
        ctx.add(
            ("methods", node.index, "parameters", body_params[0], "in"),
            "parameters 'in: body' need a 'body' declaration on the method",
        )
    if body and node.method["http"].partition(" ")[0] == "GET":
        ctx.add(node.path, "GET requests cannot have a body", key=True)


@rule("bodies")
def content(ctx: Context, node: Node) -> None:
    """The body by the rules of its kind (`generator/kinds/body`)."""
    if node.value:
        BODIES[node.value["content"]].check(ctx, node.method, ("methods", node.index))
