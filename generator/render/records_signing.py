"""CLI table rows of the signing kinds: the token endpoint a kind brings (a JWT-bearer token URL), as a
`TokenFlow`, so that `opi ... --test` answers its exchange with a stand-in token and shows the method's own
request (as it does for a spec's token method)."""

from __future__ import annotations

import json

from ..ir import Provider
from ..kinds import AUTH
from ..kinds.auth.signed import SigningKind
from ..runtime import cli_table
from .pycode import Record, record


def token_flows(provider: Provider) -> tuple[Record, ...]:
    out: list[Record] = []
    for scheme in provider.schemes:
        kind = AUTH[scheme.kind]
        path = kind.token_path(scheme) if isinstance(kind, SigningKind) else None
        if path:
            answer = {"token_type": "Bearer", scheme.expires_field: 3600}
            out.append(record(cli_table.TokenFlow, command="", http=f"POST {path}", status=200,
                              answer=json.dumps(answer, sort_keys=True), token_field=scheme.token_field,
                              rows=True))
    return tuple(out)
