"""Content negotiation for an answer in several media types (`alternatives`): the contract server answers
the one the request's `Accept` header prefers (q-values honoured, `*/*` and `type/*` ranges matched in
declared order), the default when there is no Accept header, and 406 when none of them is acceptable."""

from __future__ import annotations

from ..contract import ErrorKind, error_answer, fill
from ..ir import Method, Provider, Response
from ..kinds.answer.choices import choices, media_of
from .answers import json_answer
from .state import Answer

NOT_ACCEPTABLE = 406
REASON = "The Accept header names none of the media types this answer comes as."


def _ranges(header: str) -> list[str]:
    """The media ranges of an Accept header, most preferred first (q=0 left out)."""
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(header.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranked.append((-q, i, media.lower()))
    return [media for _, _, media in sorted(ranked)]


def chosen(method: Method, accept: str | None) -> Response | None:
    """The answer to give: the method's own when it has one media type; None when nothing is acceptable."""
    offered = choices(method.success)
    if not offered or accept is None or not accept.strip():
        return method.success
    for wanted in _ranges(accept):
        for answer in offered:
            media = media_of(answer)
            if wanted in ("*/*", media) or (wanted.endswith("/*") and media.startswith(wanted[:-1])):
                return answer
    return None


def not_acceptable(provider: Provider, method: Method) -> Answer:
    """406, shaped like the provider's validation error, naming the media types on offer."""
    offered = ", ".join(media_of(r) for r in choices(method.success))
    template = error_answer(provider, ErrorKind.VALIDATION).body
    return json_answer(NOT_ACCEPTABLE, fill(template, f"Not acceptable: this answer comes as {offered}", "Accept"))
