"""A `multipart/form-data` body: files (`format: binary` parameters) and plain fields in one request."""

from __future__ import annotations

from collections.abc import Mapping
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from ...problems import JsonPath, Reporter
from ..base import BodyKind, ReceivedFile

_WORDS = {"object": "mappings", "array": "lists"}


class MultipartBody(BodyKind):
    name = "multipart"
    media_type = "multipart/form-data"
    wording = "multipart/form-data (files and fields as parts)"
    textual = True
    takes_files = True

    def check(self, report: Reporter, method: Mapping[str, Any], at: JsonPath) -> None:
        for j, p in enumerate(method.get("parameters") or []):
            kind = p["schema"].get("type")
            if p["in"] == "body" and kind in _WORDS:
                report.add((*at, "parameters", j, "schema"),
                           f"multipart bodies hold files and scalar fields only, not {_WORDS[kind]}")

    def parse(self, body: bytes, content_type: str) -> dict[str, Any] | str:
        """Each part by its name: a file part as a `ReceivedFile`, a plain part as its text."""
        refused = f"body must be {self.media_type}"
        if content_type != self.media_type:
            return refused
        # The boundary is the body's first line (the media type's parameters are not passed here).
        first = body.split(b"\r\n", 1)[0]
        if not first.startswith(b"--") or not 1 < len(first) - 2 <= 70:
            return refused
        head = b'Content-Type: multipart/form-data; boundary="' + first[2:] + b'"\r\n\r\n'
        return _parts(BytesParser(policy=HTTP).parsebytes(head + body), refused)


def _parts(message: Any, refused: str) -> dict[str, Any] | str:
    if not message.is_multipart() or message.defects:
        return refused
    out: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            return refused
        data = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is None:
            try:
                out[name] = data.decode("utf-8")
            except UnicodeDecodeError:
                return refused
        else:
            # Quotes and line breaks in a file name come percent-encoded (HTML's multipart rules).
            name_text = filename.replace("%22", '"').replace("%0D", "\r").replace("%0A", "\n")
            out[name] = ReceivedFile(name_text, data, part.get_content_type())
    return out


KIND = MultipartBody()
