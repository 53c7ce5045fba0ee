"""A JSON object body: every body parameter is a key of one object."""

from __future__ import annotations

import json
from typing import Any

from ..base import BodyKind


class JsonBody(BodyKind):
    name = "json"
    media_type = "application/json"
    wording = "JSON"

    def parse(self, body: bytes, content_type: str) -> dict[str, Any] | str:
        if "json" not in content_type:
            return "body must be application/json"
        try:
            parsed = json.loads(body)
        except ValueError:
            return "body must be valid JSON"
        return parsed if isinstance(parsed, dict) else "body must be a JSON object"


KIND = JsonBody()
