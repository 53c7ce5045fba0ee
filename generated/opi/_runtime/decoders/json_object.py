"""The `json` answer kind: a JSON value validated into the method's response model (for a top-level
array or scalar, a root model: its value is returned)."""

from __future__ import annotations

from typing import Any

import pydantic

from ..download import is_json
from ..errors import ResponseValidationError
from ..response import RawResponse
from ..union_errors import variants_tried


class AnswerList(list[Any]):
    """A top-level JSON array answer: its items, and in `.raw_response` the answer they were read from."""

    raw_response: RawResponse | None = None


def decode(
    operation: str, raw: RawResponse, model: type[pydantic.BaseModel] | None
) -> pydantic.BaseModel | RawResponse:
    if model is None:  # a success answer the spec gives no schema: the raw answer itself
        return raw
    media = raw.media_type
    if media and media != "application/json" and not is_json(media):
        # A proxy's page or a mislabelled answer: not the JSON the spec promises, whatever it holds.
        raise ResponseValidationError(
            f"{operation}: HTTP {raw.status_code} succeeded but the answer is {media[:60]!r}, not JSON; "
            "the raw answer is in .raw",
            operation=operation,
            raw=raw,
        )
    try:
        # The model's validator itself (`model_validate_json`'s wrapper costs on every call).
        result: pydantic.BaseModel = model.__pydantic_validator__.validate_json(raw.content or b"{}")
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
    if result.__pydantic_root_model__:  # a top-level array, union or scalar: the value itself
        assert isinstance(result, pydantic.RootModel)  # (the flag costs less than the check on every call)
        value: Any = result.root
        if isinstance(value, list):  # a list keeps its raw answer too (paging reads its headers)
            value = AnswerList(value)
            value.raw_response = raw
        elif isinstance(value, pydantic.BaseModel):  # the variant of a union answer that is a model
            object.__setattr__(value, "__pydantic_private__", {"raw_response": raw})
        typed: pydantic.BaseModel = value
        return typed
    # Where ApiModel.raw_response reads it (pydantic's private-state slot; see model.py).
    object.__setattr__(result, "__pydantic_private__", {"raw_response": raw})
    return result
