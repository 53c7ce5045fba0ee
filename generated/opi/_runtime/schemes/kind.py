"""What every auth scheme kind provides."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ..signing import Signer
    from ..spec import Scheme


def authorization(scheme: Scheme) -> str:
    """The header most kinds use."""
    return "Authorization"


class SchemeKind(NamedTuple):
    header_name: Callable[[Scheme], str]
    # The header's value from the scheme's inputs, in the spec's role order (a fetched token: one value).
    header_value: Callable[[Scheme, list[str]], str]
    fetches_tokens: bool = False  # the token comes from the spec's token method, added at send time
    # A signing kind: makes the client's `signing.Signer` from the scheme, its inputs' values (role order)
    # and the client's base URL; the signer signs every try of a request as it leaves (signing.py).
    signer: Callable[[Scheme, list[str], str], Signer] | None = None
