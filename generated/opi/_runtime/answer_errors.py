"""Errors inside success answers: a 2xx answer whose body says the call failed (`"ok": false`, an `error`
field, `"status": 3`).

The spec declares the test (`errors.in_success`, or a method's own `in_success`); the operation carries it
as `features[FEATURE]`, a `FailureInAnswer`. After a 2xx answer the call loop asks `failure(...)`: when the
answer reads as failed, the call raises the declared `ApiError` class with the provider's message and code,
and the answer is never returned as a result (nor retried: the provider processed the request and said no).

Paths are tuples of keys; integer keys index lists. The generator writes them from the spec's dotted paths
(`error.message`) or JSON pointers (`/error/message`), see `split`.
"""

from __future__ import annotations

import json
from typing import Any

from . import errors
from .masking import Masker
from .response import RawResponse

FEATURE = "answer_error"
EQUALS, NOT_EQUALS, PRESENT, ABSENT = "equals", "not_equals", "present", "absent"

Path = tuple[str | int, ...]
_MISSING = object()


def split(path: str) -> Path:
    """A dotted path (`a.b.0`) or a JSON pointer (`/a/b/0`, with `~1` for `/` and `~0` for `~`) as keys;
    digit-only keys become integers (they index lists, and are tried as text on objects)."""
    if path.startswith("/"):
        parts = [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]
    else:
        parts = path.split(".")
    return tuple(int(p) if p.isdigit() else p for p in parts)


def walk(data: Any, path: Path) -> Any:
    """The value at `path`, or `_MISSING` when there is none (None is a value: `"error": null`)."""
    for key in path:
        if isinstance(data, dict):
            found = data.get(key, _MISSING) if isinstance(key, str) else data.get(str(key), _MISSING)
            if found is _MISSING:
                return _MISSING
            data = found
        elif isinstance(data, list) and isinstance(key, int) and key < len(data):
            data = data[key]
        else:
            return _MISSING
    return data


def _same(a: Any, b: Any) -> bool:
    """JSON equality: `false` is not `0`, `1` equals `1.0`."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return bool(a == b)


class FailureInAnswer:
    """How a 2xx answer says that the call failed, and where its message and code are."""

    __slots__ = ("codes", "error", "field", "message", "test", "value")

    def __init__(
        self,
        field: Path,
        test: str,  # EQUALS | NOT_EQUALS | PRESENT | ABSENT
        *,
        value: Any = None,  # EQUALS, NOT_EQUALS: the value compared with
        message: tuple[Path, ...] = (),  # tried in order; the first that holds a value is the message
        codes: tuple[Path, ...] = (),  # likewise, the provider's error code
        error: str = "ApiError",  # the class raised: ApiError or one of its subclasses in errors.py
    ) -> None:
        self.field = field
        self.test = test
        self.value = value
        self.message = message
        self.codes = codes
        self.error = error

    def failed(self, data: Any) -> bool:
        """Whether an answer's JSON data reads as a failed call."""
        found = walk(data, self.field)
        if self.test == PRESENT:
            return found is not _MISSING and found is not None
        if self.test == ABSENT:
            return found is _MISSING or found is None
        if found is _MISSING:
            return False  # a field to compare that the answer lacks says nothing
        same = _same(found, self.value)
        return same if self.test == EQUALS else not same

    def first(self, data: Any, paths: tuple[Path, ...]) -> Any:
        for path in paths:
            found = walk(data, path)
            if found is not _MISSING and found is not None and found != "":
                return found
        return None

    def __repr__(self) -> str:
        return f"FailureInAnswer({', '.join(f'{n}={getattr(self, n)!r}' for n in self.__slots__)})"


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def failure(
    masker: Masker, operation: str, check: FailureInAnswer, raw: RawResponse
) -> errors.ApiError | None:
    """The error a 2xx answer carries, or None when it reads as a success (or is not JSON)."""
    try:
        data = raw.json()
    except ValueError:
        return None
    if not check.failed(data):
        return None
    message = check.first(data, check.message)
    code = check.first(data, check.codes)
    if message is None:
        message = "the answer reports a failure" + (f" ({_text(code)})" if code is not None else "")
    cls = getattr(errors, check.error, errors.ApiError)
    if not (isinstance(cls, type) and issubclass(cls, errors.ApiError)):
        cls = errors.ApiError
    error: errors.ApiError = cls(masker.mask(_text(message)), operation=operation, raw=raw, envelope=data)
    error.code = None if code is None else masker.mask(_text(code)) if isinstance(code, str) else code
    error.in_success_answer = True
    return error
