"""Responses of one method: a 2xx answer with an object schema and an example; examples fit their schemas."""

from __future__ import annotations

from .. import http_syntax as headers
from .core import Context, Node, rule
from .schemas import check_instance, is_object


@rule("responses")
def answers(ctx: Context, node: Node) -> None:
    responses = node.value
    if not any(s.startswith("2") for s in responses):
        ctx.add(node.path, "at least one 2xx response is required", key=True)
    for status, response in responses.items():
        here = (*node.path, status)
        if status.startswith("2"):
            schema = response.get("schema")
            if schema is None:
                ctx.add(here, "a 2xx response needs a schema", key=True)
            elif is_object(ctx, schema) is False:
                ctx.add((*here, "schema"), "a 2xx response schema must be an object")
            if "example" not in response:
                ctx.add(here, "a 2xx response needs an example (it is the docs' Result)", key=True)
            elif schema is not None:
                check_instance(ctx, response["example"], schema, (*here, "example"))
        elif "example" in response:
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
