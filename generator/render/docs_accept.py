"""Docs of what special answers return: an answer in several media types (`alternatives`: the `accept` row
of the parameter table, the keyword in the signature, what comes back for each media type), and an answer
without a body that returns its headers."""

from __future__ import annotations

from ..ir import Method, Response
from ..kinds import ANSWERS
from ..kinds.answer.choices import choices, media_of
from ..names import snake
from .docs_pages import Row
from .docs_types import BR, CROSS, enum_md, model_link
from .mdx import code, md

OPTION = "accept"


def accept_row(method: Method) -> Row | None:
    offered = choices(method.success)
    if not offered:
        return None
    medias = [media_of(r) for r in offered]
    meanings = [_what(r) for r in offered]
    return Row(
        code(OPTION, cell=True),
        code("--" + OPTION, cell=True),
        "string",
        f"{CROSS} (default {code(medias[0], cell=True)})",
        BR.join(["The media type to ask for, sent as the `Accept` header; the result's type follows it.",
                 "Values:" + BR + enum_md(medias, meanings)]),
    )


def accept_signature(method: Method) -> str | None:
    offered = [media_of(r) for r in choices(method.success)]
    if not offered:
        return None
    return f"accept: Literal[{', '.join(repr(m) for m in offered)}] = {offered[0]!r}"


def _what(response: Response) -> str:
    kind = ANSWERS[response.content]
    if kind.returns:  # "the file, as a `Download` (...)" -> "the file (`Download`)"
        return kind.returns.split(" (")[0].split(",")[0] + f" (`{kind.result}`)"
    return f"`{response.python or response.model or 'Any'}`"


def accept_returns(method: Method) -> str:
    """What comes back per media type ("" when the answer has one)."""
    offered = choices(method.success)
    if not offered:
        return ""
    each = "; ".join(f"{code(media_of(r))}{' (the default)' if i == 0 else ''}: {md(_what(r))}"
                     for i, r in enumerate(offered))
    return f"{BR}By `accept` (`--accept`, sent as the `Accept` header): {each}."


def headers_returns(response: Response, models: str) -> str | None:
    """Returns of an answer without a body whose headers the spec names: their frozen model, field by field
    (None for any other answer)."""
    if response.model is None or ANSWERS[response.content].media_types(None) or not response.headers:
        return None
    fields = "".join(
        f"{BR}{code('result.' + snake(h.name))}: the {code(h.name)} header: {md(h.description)}"
        for h in response.headers
    )
    return (f"The answer's headers, as {model_link(response.model, models)} (read-only; a header the answer "
            f"lacks is `None`); the answer has no body. HTTP status {response.status}: "
            f"{md(response.description)}{fields}")
