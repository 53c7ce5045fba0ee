"""`api_key`: a key sent in the scheme's header (Authorization by default), after its prefix."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .kind import SchemeKind

if TYPE_CHECKING:
    from ..spec import Scheme


def name(scheme: Scheme) -> str:
    return scheme.header or "Authorization"


def value(scheme: Scheme, values: list[str]) -> str:
    return scheme.prefix + values[0]


KIND = SchemeKind(name, value)
