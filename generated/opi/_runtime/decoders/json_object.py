"""The `json` answer kind: a JSON object validated into the method's response model."""

from __future__ import annotations

import pydantic

from ..errors import ResponseValidationError
from ..response import RawResponse, media_type
from ..union_errors import variants_tried


def _is_json(media: str) -> bool:
    return media.endswith("/json") or media.endswith("+json")


def decode(operation: str, raw: RawResponse, model: type[pydantic.BaseModel]) -> pydantic.BaseModel:
    media = media_type(raw.headers)
    if media and not _is_json(media):
        # A proxy's page or a mislabelled answer: not the JSON the spec promises, whatever it holds.
        raise ResponseValidationError(
            f"{operation}: HTTP {raw.status_code} succeeded but the answer is {media[:60]!r}, not JSON; "
            "the raw answer is in .raw",
            operation=operation,
            raw=raw,
        )
    try:
        result = model.model_validate_json(raw.content or b"{}")
    except pydantic.ValidationError as exc:
        where = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}"
            for e in exc.errors(include_url=False)[:5]
        )
        raise ResponseValidationError(
            f"{operation}: HTTP {raw.status_code} succeeded but the answer does not match the spec "
            f"({where}{variants_tried(model, exc)}); the raw answer is in .raw",
            operation=operation,
            raw=raw,
        ) from None
    # Where ApiModel.raw_response reads it (pydantic's private-state slot; see model.py).
    object.__setattr__(result, "__pydantic_private__", {"raw_response": raw})
    return result
