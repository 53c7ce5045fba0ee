"""The runtime records of an answer in several media types: the operation's `accept` feature (one
`MediaChoice` per media type, the default first) and the command's `--accept` option."""

from __future__ import annotations

from ..ir import Method, Response
from ..kinds import ANSWERS
from ..kinds.answer.choices import choices, media_of
from ..runtime import accept, cli_table
from .cli_rules import terminal_text
from .pycode import Record, record

OPTION = "accept"  # the Python keyword and the CLI option


def declared(response: Response) -> tuple[str, ...]:
    """The declared media types of an answer that no schema describes (a file, text)."""
    kind = ANSWERS[response.content]
    return () if kind.needs_schema else kind.media_types(response.media_type)


def accept_feature(method: Method) -> tuple[Record, ...]:
    return tuple(
        record(accept.MediaChoice, media_of(r), r.content, model=r.model, declared=declared(r))
        for r in choices(method.success)
    )


def accept_options(method: Method) -> tuple[Record, ...]:
    offered = tuple(media_of(r) for r in choices(method.success))
    if not offered:
        return ()
    return (record(
        cli_table.Option,
        name=OPTION,
        kwarg=OPTION,
        kind="string",
        label="string",
        description=terminal_text(f"The answer's media type (sent as Accept): {', '.join(offered)}"),
        default=offered[0],
        has_default=True,
        choices=offered,
        wire="Accept",
        rows=True,
    ),)
