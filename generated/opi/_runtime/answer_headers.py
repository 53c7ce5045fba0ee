"""An empty answer's declared headers as a small typed result.

A 2xx answer without a body whose spec names answer headers (a `Location`, a `Retry-After`) returns a
frozen model of them, `<Method>Response`, instead of None: each header is a field (snake_case, the header
name as alias), typed by its schema and None when the answer lacks it; `.raw_response` holds the answer.
"""

from __future__ import annotations

from typing import Any

import pydantic
from pydantic import ConfigDict

from .errors import ResponseValidationError
from .model import ApiModel
from .response import RawResponse

__all__ = ["AnswerHeaders", "read"]


class AnswerHeaders(ApiModel):
    """The headers of an answer without a body; read-only."""

    model_config = ConfigDict(frozen=True)


def read(operation: str, raw: RawResponse, model: type[pydantic.BaseModel]) -> pydantic.BaseModel:
    found: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        header = field.alias or name
        if header in raw.headers:  # case-insensitive (httpx.Headers)
            found[header] = raw.headers[header]
    try:
        result = model.model_validate(found)
    except pydantic.ValidationError as exc:
        where = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5])
        raise ResponseValidationError(
            f"{operation}: HTTP {raw.status_code} succeeded but its headers do not match the spec ({where}); "
            "the raw answer is in .raw",
            operation=operation,
            raw=raw,
        ) from None
    object.__setattr__(result, "__pydantic_private__", {"raw_response": raw})  # as ApiModel reads it
    return result
