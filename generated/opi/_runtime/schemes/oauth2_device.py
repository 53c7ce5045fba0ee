"""`oauth2_device`: the OAuth 2.0 device-code flow (RFC 8628). `opi <provider> login` gets the tokens; the
client sends the access token as a bearer token and refreshes it with the refresh token."""

from __future__ import annotations

from .bearer import value
from .kind import SchemeKind, authorization

KIND = SchemeKind(authorization, value, fetches_tokens=True)
