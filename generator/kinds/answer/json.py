"""A JSON answer, validated against the response schema."""

from __future__ import annotations

import json
from typing import Any

from ..base import AnswerKind


class JsonAnswer(AnswerKind):
    name = "json"
    media_type = "application/json"

    def encode(self, value: Any) -> bytes:
        return json.dumps(value, ensure_ascii=False).encode("utf-8")


KIND = JsonAnswer()
