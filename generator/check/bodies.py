"""Request bodies: a method's `body` declaration against its `in: body` parameters, and per content type."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .core import Context, Node, rule
from .wording import TYPE_WORDS


def check_form_body(ctx: Context, node: Node) -> None:
    """A form body is flat key=value pairs: no field can hold an object or a list."""
    for j, p in enumerate(node.method.get("parameters") or []):
        if p["in"] == "body" and p["schema"].get("type") in ("object", "array"):
            ctx.add(
                ("methods", node.index, "parameters", j, "schema"),
                f"form bodies hold scalar fields only, not {TYPE_WORDS[p['schema']['type']][2:]}s",
            )


# Rules of one body content type, by its `content`.
BODY_RULES: dict[str, Callable[[Context, Node], None]] = {"form": check_form_body}


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
    content_rule = BODY_RULES.get(node.value["content"]) if node.value else None
    if content_rule is not None:
        content_rule(ctx, node)
