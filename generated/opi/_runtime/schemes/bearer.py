"""`bearer`: a token the caller gives, sent as `Authorization: Bearer <token>`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .kind import SchemeKind, authorization

if TYPE_CHECKING:
    from ..spec import Scheme


def value(scheme: Scheme, values: list[str]) -> str:
    return "Bearer " + values[0]


KIND = SchemeKind(authorization, value)
