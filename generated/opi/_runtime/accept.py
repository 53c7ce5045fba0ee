"""Answers in several media types: the caller chooses one by `accept=` (the CLI's `--accept`).

A response may declare more than one media type for the same status (a report as JSON or as CSV). The
operation's `features["accept"]` lists them as `MediaChoice`s, the default first. A call sends
`Accept: <the chosen media type>` and reads the answer by the chosen one's kind: the operation is run as a
copy whose answer fields (kind, model, declared media types) are the choice's, so the call loop, the
download target and the decoders need nothing else.
"""

from __future__ import annotations

import copy
from typing import Any

from .errors import ValidationError
from .spec import Operation, _Record

__all__ = ["FEATURE", "MediaChoice", "answering", "choices"]

FEATURE = "accept"


class MediaChoice(_Record):
    """One media type a success answer may come as, and how it is read."""

    __slots__ = ("content", "declared", "media", "model")

    def __init__(
        self,
        media: str,
        content: str,  # the answer kind: a key of `decoders.REGISTRY`
        *,
        model: str | None = None,  # the response model (a JSON answer)
        declared: tuple[str, ...] = (),  # the declared media types of a file or text answer (see spec.py)
    ) -> None:
        self.media = media
        self.content = content
        self.model = model
        self.declared = declared


_VARIANTS: dict[tuple[int, str], Operation[Any]] = {}


def choices(op: Operation[Any]) -> tuple[MediaChoice, ...]:
    found = op.features.get(FEATURE)
    return found if isinstance(found, tuple) else ()


def answering(op: Operation[Any], accept: str | None) -> tuple[Operation[Any], str | None]:
    """The operation to run for the media type asked for, and the `Accept` header to send (None: none)."""
    offered = choices(op)
    if not offered:
        if accept is not None:
            raise ValidationError(op.name, [("accept", "this method's answer has one media type")])
        return op, None
    chosen = next((c for c in offered if c.media == accept), None) if accept is not None else offered[0]
    if chosen is None:
        allowed = ", ".join(c.media for c in offered)
        raise ValidationError(op.name, [("accept", f"expected one of {allowed} [literal_error]")])
    key = (id(op), chosen.media)
    variant = _VARIANTS.get(key)
    if variant is None:
        variant = copy.copy(op)  # the same operation, read as the chosen media type
        variant.response_model, variant.answer_content = chosen.model, chosen.content
        variant.answer_media = chosen.declared
        _VARIANTS[key] = variant
    return variant, chosen.media
