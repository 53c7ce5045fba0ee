"""Files a request sends: a multipart part or a raw binary body, streamed from disk, never read whole.

A file parameter takes a path (`str` or `os.PathLike`), `bytes` or an open binary file. A path is opened
when the call starts and closed when it ends; a file object is read from where it stands, and read from
there again when a request is retried. The bodies are httpx's own: `content=` for a raw body (a file is
read in chunks), `files=` for multipart (httpx's multipart encoder streams each file and computes the
length), so the wire format is httpx's, not hand-written here.
"""

from __future__ import annotations

import mimetypes
import os
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import IO, Any

FileInput = str | os.PathLike[str] | bytes | IO[bytes]

__all__ = ["PARTS", "FileBody", "FileInput", "MultipartBody", "Upload", "problem"]

CHUNK = 64 * 1024
PARTS = "parts"  # the operation feature: a file part's declared media type by wire name


def problem(value: Any) -> str | None:
    """Why a value cannot be sent as a file (None when it can)."""
    if isinstance(value, bytes):
        return None
    if isinstance(value, str | os.PathLike):
        return None if Path(value).is_file() else "no such file [file_not_found]"
    if callable(getattr(value, "read", None)):
        return None
    return "expected a path, bytes or an open binary file [file_type]"


class Upload:
    """One file of a request, opened once per call."""

    __slots__ = ("_file", "_media", "_opened", "_start", "name", "value")

    def __init__(self, value: FileInput, fallback_name: str, media: str | None = None) -> None:
        self.value = value
        self._media = media  # the media type the spec declares for the part, if it does
        self._file: IO[bytes] | None = None
        self._opened = False  # the file was opened here (from a path), so it is closed here
        self._start = 0
        if isinstance(value, str | os.PathLike):
            self.name = Path(value).name
        else:
            given = getattr(value, "name", None)
            self.name = os.path.basename(given) if isinstance(given, str) and given else fallback_name

    @property
    def media_type(self) -> str:
        """The declared media type, else the one the file name suggests."""
        return self._media or mimetypes.guess_type(self.name)[0] or "application/octet-stream"

    def file(self) -> IO[bytes] | bytes:
        """The data to send, at its start (again, for a retry)."""
        value = self.value
        if isinstance(value, bytes):
            return value
        if self._file is None:
            if isinstance(value, str | os.PathLike):
                self._file, self._opened = open(value, "rb"), True  # noqa: SIM115  (closed by close())
            else:
                self._file = value
            try:
                self._start = self._file.tell()
            except (OSError, ValueError):
                self._start = -1
        elif self._start >= 0:
            self._file.seek(self._start)
        return self._file

    def size(self) -> int | None:
        data = self.file()
        if isinstance(data, bytes):
            return len(data)
        try:
            return os.fstat(data.fileno()).st_size - max(self._start, 0)
        except (OSError, ValueError, AttributeError):
            pass
        if self._start < 0:
            return None
        end = data.seek(0, os.SEEK_END)
        data.seek(self._start)
        return end - self._start

    def close(self) -> None:
        if self._opened and self._file is not None:
            self._file.close()
        self._file = None


async def _chunks(file: IO[bytes]) -> AsyncIterator[bytes]:
    while chunk := file.read(CHUNK):
        yield chunk


class FileBody:
    """A raw body: one file sent as it is, under the method's media type."""

    def __init__(self, upload: Upload) -> None:
        self.upload = upload

    def request_args(self, is_async: bool) -> tuple[dict[str, Any], dict[str, str]]:
        """`build_request` keywords and the headers they need."""
        data = self.upload.file()
        if isinstance(data, bytes):
            return {"content": data}, {}
        size = self.upload.size()
        headers = {} if size is None else {"Content-Length": str(size)}
        # httpx reads a file in chunks for the blocking client; the async client needs an async iterator.
        return {"content": _chunks(data) if is_async else data}, headers

    def close(self) -> None:
        self.upload.close()


class MultipartBody:
    """A `multipart/form-data` body: plain fields as text and files as parts with their names."""

    def __init__(self, fields: Mapping[str, str], uploads: Mapping[str, Upload]) -> None:
        self.fields = dict(fields)
        self.uploads = dict(uploads)

    def request_args(self, is_async: bool) -> tuple[dict[str, Any], dict[str, str]]:
        # Plain fields as parts without a file name: multipart even when no file is given.
        parts: dict[str, Any] = {k: (None, v.encode("utf-8")) for k, v in self.fields.items()}
        parts |= {wire: (u.name, u.file(), u.media_type) for wire, u in self.uploads.items()}
        return {"files": parts}, {}

    def close(self) -> None:
        for upload in self.uploads.values():
            upload.close()
