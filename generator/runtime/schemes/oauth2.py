"""`oauth2`: a bearer token the client fetches with the spec's token method, unless the caller gives one."""

from __future__ import annotations

from .bearer import value
from .kind import SchemeKind, authorization

KIND = SchemeKind(authorization, value, fetches_tokens=True)
