"""A 2xx answer in several media types (`alternatives`), chosen by the caller's Accept: each alternative by
the rules of its kind, every media type once, one JSON answer at most, and the `accept` keyword free."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..kinds import ANSWERS, DEFAULT_ANSWER
from ..names import snake
from .core import Context, Node, rule
from .schemas import check_instance


def _media(answer: dict[str, Any]) -> str:
    found = ANSWERS[answer.get("content", DEFAULT_ANSWER)].media_types(answer.get("media_type"))
    return found[0] if found else ""


@rule("responses")
def alternatives(ctx: Context, node: Node) -> None:
    for status, response in node.value.items():
        others = response.get("alternatives")
        if not others:
            continue
        here = (*node.path, status)
        if not status.startswith("2"):
            ctx.add((*here, "alternatives"), "only a 2xx answer has alternatives", key=True)
            continue
        if response.get("content", DEFAULT_ANSWER) == "empty":
            ctx.add((*here, "alternatives"), "an empty answer has no alternatives", key=True)
            continue
        seen = {_media(response): "the answer itself"}
        json_answers = int(response.get("content", DEFAULT_ANSWER) == "json")
        for j, alt in enumerate(others):
            at = (*here, "alternatives", j)
            kind = ANSWERS[alt.get("content", DEFAULT_ANSWER)]
            kind.check(ctx, alt, at)
            if "example_file" in alt and not (Path(ctx.doc.file).parent / alt["example_file"]).is_file():
                ctx.add((*at, "example_file"), "no such file beside the spec")
            if kind.needs_schema:
                json_answers += 1
                if "schema" not in alt:
                    ctx.add(at, "a JSON alternative needs a schema", key=True)
                if "example" not in alt:
                    ctx.add(at, "a JSON alternative needs an example", key=True)
                elif "schema" in alt:
                    check_instance(ctx, alt["example"], alt["schema"], (*at, "example"))
            media = _media(alt)
            if media in seen:
                ctx.add(at, f"media type {media} is declared twice for HTTP {status}", key=True)
            seen[media] = f"alternative {j}"
        if json_answers > 1:
            ctx.add((*here, "alternatives"), "at most one JSON answer per status", key=True)
        _keyword_free(ctx, node)


def _keyword_free(ctx: Context, node: Node) -> None:
    """The caller chooses with `accept=` / `--accept`: no parameter of the method may take that name, and a
    paginated method reads every page the same way."""
    method = node.method
    for j, p in enumerate(method.get("parameters") or []):
        if snake(p["name"]) == "accept" or p.get("cli") == "accept" or (
                p["in"] == "header" and str(p.get("field", p["name"])).lower() == "accept"):
            ctx.add(("methods", node.index, "parameters", j, "name"),
                    "the answer has alternatives, so `accept` / --accept / the Accept header choose among "
                    "them; rename this parameter")
    if "pagination" in method:
        ctx.add(("methods", node.index, "pagination"), "a paginated method's answer has one media type",
                key=True)
