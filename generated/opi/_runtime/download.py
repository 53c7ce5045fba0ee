"""Binary answers: the `Download` a file method returns, and streaming a success answer to a target.

A method whose answer is a file takes `out=`: a path or an open binary file. Without it the file's bytes
are read into `Download.content`, up to the client's `max_response_bytes`. With it the answer is streamed
in chunks, so memory stays bounded whatever the file's size:

- to a path: into a temporary file beside it, renamed over the path only once the whole answer arrived;
  a broken transfer raises and leaves no file (and any earlier file at the path untouched);
- to a file object: written as it arrives; on failure a seekable file is cut back to where it stood.

Only a success answer of the declared kind is streamed: an error status, or a JSON answer to a method that
declares no JSON, is read as usual and raised as the provider's typed error, never saved as the file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from email.message import Message
from email.utils import collapse_rfc2231_value
from pathlib import Path
from typing import IO, Any

from .response import RawResponse, media_type

DownloadTarget = str | os.PathLike[str] | IO[bytes]

__all__ = ["Download", "DownloadTarget", "Saved", "Sink", "filename_of", "misfiled"]


def is_json(media: str) -> bool:
    return media.endswith("/json") or media.endswith("+json")


def misfiled(declared: tuple[str, ...], headers: Mapping[str, str]) -> bool:
    """A JSON answer to a method that declares only non-JSON media types: the provider's error in disguise
    (some providers answer a failed file request with a JSON error under a 2xx status)."""
    return bool(declared) and not any(is_json(d) for d in declared) and is_json(media_type(headers))


def filename_of(headers: Mapping[str, str]) -> str | None:
    """The file name of `Content-Disposition` (`filename*=UTF-8''...` preferred over `filename=`)."""
    value = headers.get("content-disposition")
    if not value:
        return None
    message = Message()
    message["content-disposition"] = value
    found = [v for k, v in message.get_params(header="content-disposition") or () if k == "filename"]
    found.sort(key=lambda v: not isinstance(v, tuple))  # the RFC 2231 form (filename*) first
    if not found:
        return None
    name = collapse_rfc2231_value(found[0]).replace("\\", "/")
    return os.path.basename(name) or None  # a name, never a path the provider chose


class Download:
    """A file answer: its bytes (`content`, when no `out=` was given) or where it was saved (`path`)."""

    __slots__ = ("content", "content_type", "filename", "path", "raw_response", "size")

    def __init__(
        self,
        content: bytes,
        content_type: str,
        filename: str | None,
        path: Path | None,
        size: int,
        raw_response: RawResponse,
    ) -> None:
        self.content = content  # b"" when the answer was streamed to `out=`
        self.content_type = content_type  # the answer's media type, without parameters
        self.filename = filename  # from Content-Disposition, if the provider named the file
        self.path = path  # the file written, when `out=` was a path
        self.size = size  # bytes received
        self.raw_response = raw_response

    def to_json_dict(self) -> dict[str, Any]:
        """What the CLI prints about a saved file."""
        return {
            "path": None if self.path is None else str(self.path),
            "filename": self.filename,
            "content_type": self.content_type,
            "size": self.size,
        }

    def __repr__(self) -> str:
        return f"<Download {self.content_type} {self.size} bytes filename={self.filename!r}>"


class Saved(RawResponse):
    """The raw answer of a file that was streamed to a target: its body is on disk (or in the caller's
    file object), so `content` is empty."""

    __slots__ = ("path", "size")

    def __init__(self, raw: RawResponse, path: Path | None, size: int) -> None:
        super().__init__(raw.status_code, raw.headers, b"", raw.method, raw.url)
        self.path = path
        self.size = size


class Sink:
    """Receives a success answer's chunks into a target; the same interface as `exchange.Body`."""

    too_large = False
    wanted = True
    content = b""

    def __init__(self, target: DownloadTarget) -> None:
        self.size = 0
        self.path: Path | None = None
        self._temp: str | None = None
        self._start: int | None = None
        self._file: IO[bytes] | None = None  # a path's temporary file is created by the first write
        if isinstance(target, str | os.PathLike):
            self.path = Path(target)
        else:
            self._file = target
            try:
                self._start = target.tell() if target.seekable() else None
            except (OSError, ValueError):
                self._start = None

    def _opened(self) -> IO[bytes]:
        if self._file is None and self.path is not None:
            fd, self._temp = tempfile.mkstemp(
                prefix=f".{self.path.name}.", suffix=".part", dir=self.path.parent or "."
            )
            self._file = os.fdopen(fd, "wb")
        assert self._file is not None  # a path or the caller's file
        return self._file

    def add(self, chunk: bytes) -> bool:
        self._opened().write(chunk)
        self.size += len(chunk)
        return True

    def finish(self) -> None:
        """The whole answer arrived: the temporary file becomes the target."""
        file = self._opened()  # an empty answer still makes the file
        if self._temp is not None and self.path is not None:
            file.close()
            os.replace(self._temp, self.path)
            self._temp = None
        else:
            file.flush()

    def discard(self) -> None:
        """The transfer broke: no half-written file is left behind."""
        if self._temp is not None and self._file is not None:
            self._file.close()
            Path(self._temp).unlink(missing_ok=True)
            self._temp = None
        elif self._start is not None and self._file is not None:
            self._file.seek(self._start)
            self._file.truncate()

    def raw(self, raw: RawResponse) -> RawResponse:
        return Saved(raw, self.path, self.size)
