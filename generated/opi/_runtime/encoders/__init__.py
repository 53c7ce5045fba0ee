"""Request body encoders, one module per body kind of the spec (`methods[].body.content`).

Each encoder turns the validated body model and the call's files into `(content, content type)`; the
content is bytes, or a body streamed from files (`uploads.FileBody`, `uploads.MultipartBody`). `REGISTRY` maps the spec's
name of the kind to its encoder; a new kind is a new module here plus its entry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeAlias

from . import binary, form, json_object, multipart, text

if TYPE_CHECKING:  # pydantic.BaseModel is loaded lazily by pydantic itself: naming it here costs ~10 ms
    from collections.abc import Mapping

    import pydantic

    from ..uploads import FileBody, MultipartBody, Upload

    Encoder: TypeAlias = Callable[
        [pydantic.BaseModel, Mapping[str, Upload], str | None], tuple[bytes | FileBody | MultipartBody, str]
    ]

REGISTRY: dict[str, Encoder] = {
    "json": json_object.encode,
    "form": form.encode,
    "multipart": multipart.encode,
    "binary": binary.encode,
    "text": text.encode,
}
