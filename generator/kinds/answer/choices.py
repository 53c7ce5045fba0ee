"""A success answer in several media types (`alternatives`): each one's media type, in declared order."""

from __future__ import annotations

from ...ir import Response
from .. import ANSWERS


def media_of(response: Response) -> str:
    """The media type an answer comes as ("" for an empty answer)."""
    found = ANSWERS[response.content].media_types(response.media_type)
    return found[0] if found else ""


def choices(response: Response) -> tuple[Response, ...]:
    """The answers the caller chooses from by `accept`, the default first; () when there is one."""
    return (response, *response.alternatives) if response.alternatives else ()
