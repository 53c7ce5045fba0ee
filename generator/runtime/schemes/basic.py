"""`basic`: a user and a password, sent as `Authorization: Basic <base64 of user:password>`."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

from .kind import SchemeKind, authorization

if TYPE_CHECKING:
    from ..spec import Scheme


def value(scheme: Scheme, values: list[str]) -> str:
    user, password = values
    return header(user, password)


def header(user: str, password: str) -> str:
    """The `Authorization` value (UTF-8 before base64, as httpx writes it for a URL's user and password)."""
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


KIND = SchemeKind(authorization, value)
