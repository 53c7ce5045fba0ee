"""An empty answer (204, or a 2xx without a body): the method returns None."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...problems import JsonPath, Reporter
from ..base import AnswerKind


class EmptyAnswer(AnswerKind):
    name = "empty"
    media_type = ""
    result = "None"
    returns = "nothing (`None`)"

    def check(self, report: Reporter, response: Mapping[str, Any], at: JsonPath) -> None:
        for key in ("schema", "example", "media_type", "example_file", "filename"):
            if key in response:
                report.add((*at, key), f"an empty answer has no body, so no '{key}'", key=True)

    def media_types(self, declared: str | None) -> tuple[str, ...]:
        return ()

    def encode(self, value: Any) -> bytes:
        return b""

    def openapi(self, declared: str | None, schema: Any, example: Any, has_example: bool) -> dict[str, Any]:
        return {}


KIND = EmptyAnswer()
