"""Auth scheme kinds, one module per kind of the spec (`auth.schemes[].type`).

A kind says which header its credentials make and whether its token is fetched by a token method (and
so added at send time, refreshed when rejected). `REGISTRY` maps the spec's name of the kind to it.
"""

from __future__ import annotations

from . import api_key, basic, bearer, hmac, jwt_bearer, oauth1, oauth2, oauth2_code, oauth2_device, sigv4
from .kind import SchemeKind

REGISTRY: dict[str, SchemeKind] = {
    "bearer": bearer.KIND,
    "basic": basic.KIND,
    "api_key": api_key.KIND,
    "oauth2": oauth2.KIND,
    "oauth2_code": oauth2_code.KIND,
    "oauth2_device": oauth2_device.KIND,
    # Signing kinds: a per-client signer signs every try (signing.py); their libraries are package extras.
    "oauth1": oauth1.KIND,
    "sigv4": sigv4.KIND,
    "hmac": hmac.KIND,
    "jwt_bearer": jwt_bearer.KIND,
}
