"""A text body: one string parameter is the whole body, UTF-8, under the method's `body.media_type`
(`text/*`, default `text/plain`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...problems import JsonPath, Reporter
from ..base import BodyKind, single_body_parameter


class TextBody(BodyKind):
    name = "text"
    media_type = "text/plain"
    whole = True
    wording = "text (UTF-8)"

    def check(self, report: Reporter, method: Mapping[str, Any], at: JsonPath) -> None:
        media = method["body"].get("media_type", self.media_type)
        if not str(media).startswith("text/"):
            report.add((*at, "body", "media_type"), f"a text body's media type is text/*, not {media!r}")
        j = single_body_parameter(report, method, at, "text")
        if j is not None and method["parameters"][j]["schema"].get("type") != "string":
            report.add((*at, "parameters", j, "schema"), "a text body's parameter is a string")

    def parse(self, body: bytes, content_type: str) -> dict[str, Any] | str:
        try:
            return {"": body.decode("utf-8")}
        except UnicodeDecodeError:
            return "body must be UTF-8 text"


KIND = TextBody()
