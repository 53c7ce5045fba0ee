"""Docs of an answer in several media types (`alternatives`): the `accept` row of the parameter table, the
keyword in the signature, and what comes back for each media type."""

from __future__ import annotations

from ..ir import Method, Response
from ..kinds import ANSWERS
from ..kinds.answer.choices import choices, media_of
from .docs_pages import Row
from .docs_types import BR, CROSS, enum_md
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
