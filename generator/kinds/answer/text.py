"""A text answer (`text/plain`, `text/csv`, ...): the method returns a `str`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...problems import JsonPath, Reporter
from ..base import AnswerKind


class TextAnswer(AnswerKind):
    name = "text"
    media_type = "text/plain"
    result = "str"
    returns = "the answer's text (`str`)"

    def check(self, report: Reporter, response: Mapping[str, Any], at: JsonPath) -> None:
        media = response.get("media_type", self.media_type)
        if not str(media).startswith("text/"):
            report.add((*at, "media_type"), f"a text answer's media type is text/*, not {media!r}")
        if "example" not in response:
            report.add(at, "a text answer needs an example (it is the docs' Result)", key=True)
        elif not isinstance(response["example"], str):
            report.add((*at, "example"), "a text answer's example is a string")
        for key in ("schema", "example_file", "filename"):
            if key in response:
                report.add((*at, key), f"a text answer has no '{key}'", key=True)

    def encode(self, value: Any) -> bytes:
        return str(value).encode("utf-8")

    def openapi(self, declared: str | None, schema: Any, example: Any, has_example: bool) -> dict[str, Any]:
        return super().openapi(declared, {"type": "string"}, example, has_example)


KIND = TextAnswer()
