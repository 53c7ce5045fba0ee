"""The `json` body kind: the model as a JSON object, by wire names, unset fields left out."""

from __future__ import annotations

from collections.abc import Mapping

import pydantic

from ..uploads import Upload

MEDIA_TYPE = "application/json"


def encode(payload: pydantic.BaseModel, files: Mapping[str, Upload], media: str | None) -> tuple[bytes, str]:
    # Bytes straight from pydantic's serializer: model_dump_json() would decode them to a str first.
    return payload.__pydantic_serializer__.to_json(payload, by_alias=True, exclude_none=True), MEDIA_TYPE
