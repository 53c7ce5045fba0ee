"""Responses of one method: a 2xx answer by the rules of its kind (`generator/kinds/answer`); examples fit
their schemas."""

from __future__ import annotations

from pathlib import Path

from .. import http_syntax as headers
from ..kinds import ANSWERS, DEFAULT_ANSWER
from .core import Context, Node, rule
from .schemas import check_instance


@rule("responses")
def answers(ctx: Context, node: Node) -> None:
    responses = node.value
    if not any(s.startswith("2") for s in responses):
        ctx.add(node.path, "at least one 2xx response is required", key=True)
    for status, response in responses.items():
        here = (*node.path, status)
        kind = ANSWERS[response.get("content", DEFAULT_ANSWER)]
        if status.startswith("2"):
            kind.check(ctx, response, here)
            if "example_file" in response and not (Path(ctx.doc.file).parent / response["example_file"]).is_file():
                ctx.add((*here, "example_file"), "no such file beside the spec")
        elif "content" in response:
            ctx.add((*here, "content"), "only a 2xx response declares its content; errors are the provider's "
                    "error model", key=True)
        if status.startswith("2") and kind.needs_schema:
            schema = response.get("schema")
            if schema is None:
                ctx.add(here, "a 2xx response needs a schema", key=True)
            if "example" not in response:
                ctx.add(here, "a 2xx response needs an example (it is the docs' Result)", key=True)
            elif schema is not None:
                check_instance(ctx, response["example"], schema, (*here, "example"))
        elif not status.startswith("2") and "example" in response:
            schema = response.get("schema", ctx.data["errors"]["schema"])
            check_instance(ctx, response["example"], schema, (*here, "example"))


@rule("responses")
def response_headers(ctx: Context, node: Node) -> None:
    """A response header's name is a header name; its example is a header value that fits its schema."""
    for status, response in node.value.items():
        for name, header in (response.get("headers") or {}).items():
            at = (*node.path, status, "headers", name)
            headers.check_name(ctx, name, at, key=True)
            if isinstance(header.get("example"), str):
                headers.check_value(ctx, header["example"], (*at, "example"))
            if "example" in header and "schema" in header:
                check_instance(ctx, header["example"], header["schema"], (*at, "example"))
