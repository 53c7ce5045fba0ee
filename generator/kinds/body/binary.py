"""A raw binary body: one file parameter (`format: binary`) is the whole body, under the method's
`body.media_type` (default `application/octet-stream`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...problems import JsonPath, Reporter
from ..base import BodyKind, ReceivedFile, single_body_parameter


class BinaryBody(BodyKind):
    name = "binary"
    media_type = "application/octet-stream"
    whole = True
    wording = "the raw bytes of the file"
    takes_files = True

    def check(self, report: Reporter, method: Mapping[str, Any], at: JsonPath) -> None:
        j = single_body_parameter(report, method, at, "binary")
        if j is None:
            return
        param = method["parameters"][j]
        if param["schema"].get("format") != "binary":
            report.add((*at, "parameters", j, "schema"), "a binary body's parameter is a file (format: binary)")
        elif not param.get("required"):
            report.add((*at, "parameters", j), "a binary body's file parameter is required", key=True)

    def parse(self, body: bytes, content_type: str) -> dict[str, Any] | str:
        """The whole body as the one file; its wire name is filled in by the contract server."""
        return {"": ReceivedFile("", body, content_type)}


KIND = BinaryBody()
