"""A binary answer (a PDF, an image, any file): the method returns a `Download` and takes `out=`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...problems import JsonPath, Reporter
from ..base import AnswerKind


class BinaryAnswer(AnswerKind):
    name = "binary"
    media_type = "application/octet-stream"
    result = "Download"
    returns = (
        "the file, as a `Download` (`.content` holds its bytes, or with `out=` a path or binary file "
        "receives it as it streams; `.filename` and `.content_type` come from the answer's headers)"
    )
    takes_out = True

    def check(self, report: Reporter, response: Mapping[str, Any], at: JsonPath) -> None:
        if "media_type" not in response:
            report.add(at, "a binary answer needs a 'media_type' (such as application/pdf)", key=True)
        elif "json" in str(response["media_type"]):
            report.add((*at, "media_type"), "a binary answer is not JSON: use content: json")
        if "example" in response and not isinstance(response["example"], str):
            report.add((*at, "example"), "a binary answer's example is a string (its UTF-8 bytes are the file)")
        if "example" in response and "example_file" in response:
            report.add((*at, "example_file"), "give either 'example' or 'example_file', not both", key=True)
        if "schema" in response:
            report.add((*at, "schema"), "a binary answer has no schema", key=True)

    def encode(self, value: Any) -> bytes:
        return value if isinstance(value, bytes) else str(value).encode("utf-8")

    def openapi(self, declared: str | None, schema: Any, example: Any, has_example: bool) -> dict[str, Any]:
        return super().openapi(declared, {"type": "string", "format": "binary"}, None, False)


KIND = BinaryAnswer()
