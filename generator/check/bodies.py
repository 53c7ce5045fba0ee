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


@rule("bodies")
def files(ctx: Context, node: Node) -> None:
    """A file parameter (`format: binary`) is a part of a body kind that carries files, nowhere else."""
    body: dict[str, Any] | None = node.value
    kind = BODIES[body["content"]] if body else None
    for j, p in enumerate(node.method.get("parameters") or []):
        if p["schema"].get("format") != "binary":
            continue
        at = ("methods", node.index, "parameters", j, "schema", "format")
        if p["in"] != "body":
            ctx.add(at, f"a file parameter is sent in a body, not in the {p['in']}")
        elif kind is not None and not kind.takes_files:
            carriers = ", ".join(k.name for k in BODIES.values() if k.takes_files)
            ctx.add(at, f"a file parameter cannot be sent in a {kind.name} body; use body content {carriers}")


@rule("bodies")
def styles(ctx: Context, node: Node) -> None:
    """Bracket notation (`style: brackets`): for a query object or array, and for a form body's fields."""
    body: dict[str, Any] | None = node.value
    if body and "style" in body and body["content"] != "form":
        ctx.add((*node.path, "style"), f"only a form body has a style, not a {body['content']} body")
    for j, p in enumerate(node.method.get("parameters") or []):
        if "style" not in p:
            continue
        at = ("methods", node.index, "parameters", j, "style")
        if p["in"] != "query":
            where = "a form body declares it as body.style" if p["in"] == "body" else f"not for the {p['in']}"
            ctx.add(at, f"bracket notation is for query parameters; {where}")


@rule("bodies")
def part_media_types(ctx: Context, node: Node) -> None:
    """A declared part media type (`media_type` on a parameter) is for a file part of a multipart body."""
    body: dict[str, Any] | None = node.value
    for j, p in enumerate(node.method.get("parameters") or []):
        if "media_type" not in p:
            continue
        kind = BODIES[body["content"]] if body else None
        is_part = p["in"] == "body" and kind is not None and kind.takes_files and not kind.whole  # a part
        if not is_part or p["schema"].get("format") != "binary":
            ctx.add(("methods", node.index, "parameters", j, "media_type"),
                    "a media type is declared on a file parameter of a multipart body (a binary body "
                    "declares body.media_type)")
