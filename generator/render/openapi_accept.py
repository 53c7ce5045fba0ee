"""OpenAPI for an answer in several media types (`alternatives`): one `content` entry per media type, and
the 406 the contract server gives when the request's Accept names none of them."""

from __future__ import annotations

from typing import Any

from ..contract import ErrorKind, error_answer, fill, normalize
from ..ir import Method, Provider, Response
from ..kinds import ANSWERS
from ..kinds.answer.choices import choices, media_of
from ..mock.accept import NOT_ACCEPTABLE, REASON


def answer_content(response: Response, refs: str) -> dict[str, Any] | None:
    """Every media type of a success answer with alternatives; None for an answer with one."""
    offered = choices(response)
    if not offered:
        return None
    content: dict[str, Any] = {}
    for answer in offered:
        kind = ANSWERS[answer.content]
        if kind.needs_schema:
            media: dict[str, Any] = {"schema": normalize(answer.schema, refs)} if answer.schema else {}
            if answer.has_example:
                media["example"] = answer.example
            content[media_of(answer)] = media
        else:
            example = answer.example if isinstance(answer.example, str) else None
            content |= kind.openapi(answer.media_type, None, example, example is not None)
    return content


def not_acceptable(provider: Provider, method: Method) -> tuple[int, str, Any] | None:
    """(status, reason, example body) of the 406 answer, for a method whose answer has alternatives."""
    if not choices(method.success):
        return None
    return NOT_ACCEPTABLE, REASON, fill(error_answer(provider, ErrorKind.VALIDATION).body, REASON, "Accept")
