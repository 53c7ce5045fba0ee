"""Request body encoders, one module per body kind of the spec (`methods[].body.content`).

Each encoder turns the validated body model into `(content, content type)`. `REGISTRY` maps the spec's
name of the kind to its encoder; a new kind is a new module here plus its entry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeAlias

from . import form, json_object

if TYPE_CHECKING:  # pydantic.BaseModel is loaded lazily by pydantic itself: naming it here costs ~10 ms
    import pydantic

    Encoder: TypeAlias = Callable[[pydantic.BaseModel], tuple[bytes, str]]

REGISTRY: dict[str, Encoder] = {
    "json": json_object.encode,
    "form": form.encode,
}
