"""A JSON answer, validated against the response schema."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ...problems import JsonPath, Reporter
from ..base import AnswerKind


class JsonAnswer(AnswerKind):
    name = "json"
    media_type = "application/json"
    needs_schema = True

    def check(self, report: Reporter, response: Mapping[str, Any], at: JsonPath) -> None:
        for key in ("media_type", "example_file", "filename"):
            if key in response:
                report.add((*at, key), f"a JSON answer has no '{key}'", key=True)

    def encode(self, value: Any) -> bytes:
        return json.dumps(value, ensure_ascii=False).encode("utf-8")


KIND = JsonAnswer()
