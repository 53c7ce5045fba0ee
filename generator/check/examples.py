"""Named examples (`examples:` beside `example`) of a response and of a parameter: each fits its schema; a
response's go with a success answer described by a schema (a JSON answer)."""

from __future__ import annotations

from ..kinds import ANSWERS, DEFAULT_ANSWER
from .core import Context, Node, rule
from .schemas import check_instance

RESERVED = "default"  # the OpenAPI export names the response's own `example` so


@rule("responses")
def named_examples(ctx: Context, node: Node) -> None:
    for status, response in node.value.items():
        examples = response.get("examples")
        if not isinstance(examples, dict):
            continue
        here = (*node.path, status, "examples")
        kind = ANSWERS[response.get("content", DEFAULT_ANSWER)]
        if not status.startswith("2") or not kind.needs_schema:
            ctx.add(here, "named examples go with a success answer that has a schema (a JSON answer)", key=True)
            continue
        if RESERVED in examples:
            ctx.add((*here, RESERVED), f"'{RESERVED}' names the response's own example; choose another name",
                    key=True)
        schema = response.get("schema")
        for name, example in examples.items():
            if schema is not None:
                check_instance(ctx, example["value"], schema, (*here, name, "value"))


@rule("parameters")
def parameter_examples(ctx: Context, node: Node) -> None:
    for j, p in enumerate(node.value or ()):
        for name, example in (p.get("examples") or {}).items():
            check_instance(ctx, example["value"], p["schema"], (*node.path, j, "examples", name, "value"))
