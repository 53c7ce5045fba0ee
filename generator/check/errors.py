"""The errors section: the canned answers the contract server gives, checked against the error schema."""

from __future__ import annotations

import json

from .core import Context, Node, rule
from .schemas import check_instance


@rule("errors")
def answers(ctx: Context, node: Node) -> None:
    errors = node.value
    for kind, answer in errors["answers"].items():
        here = ("errors", "answers", kind, "body")
        check_instance(ctx, answer["body"], errors["schema"], here, "answer body")
        if "{message}" not in json.dumps(answer["body"]):
            ctx.add(here, "answer body needs a '{message}' placeholder")
