"""Answer decoders, one module per answer kind: how a success answer becomes the method's result.

Each decoder takes the operation's name, the raw answer and the response model, and returns the model
result (or raises `ResponseValidationError`). `REGISTRY` maps the kind's name to its decoder; an operation
names its kind (`answer_content`). `TARGETED` are the kinds whose methods take `out=` (a file to stream to).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

from . import binary, empty, json_object, text

if TYPE_CHECKING:  # pydantic.BaseModel is loaded lazily by pydantic itself: naming it here costs ~10 ms
    import pydantic

    from ..response import RawResponse

    Decoder: TypeAlias = Callable[[str, RawResponse, type[pydantic.BaseModel] | None], Any]

REGISTRY: dict[str, Decoder] = {
    "json": json_object.decode,
    "empty": empty.decode,
    "text": text.decode,
    "binary": binary.decode,
}

TARGETED: frozenset[str] = frozenset({"binary"})
