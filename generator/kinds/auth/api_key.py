"""An API key in a header of the provider's choosing, optionally after a fixed prefix (`Token <key>`), or
in the query, a path segment or a body field (`in: query|path|body`, named by `name`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ...http_syntax import check_prefix
from ...problems import Reporter
from ...routes import HEADER, QUERY, place
from ..base import AuthKind, Expect, TokenState

if TYPE_CHECKING:
    from ...ir import AuthScheme, Provider


class ApiKey(AuthKind):
    name = "api_key"
    roles = ("key",)
    secret_roles = frozenset({"key"})

    def check(self, report: Reporter, name: str, scheme: Mapping[str, Any], data: Mapping[str, Any]) -> None:
        # The prefix goes into the header, before the key.
        check_prefix(report, scheme.get("prefix", ""), ("auth", "schemes", name, "prefix"))
        at = ("auth", "schemes", name)
        where = place(scheme)
        if where == HEADER:
            if "header" not in scheme:
                report.add(at, "an API key in a header needs 'header' (its name)", key=True)
            if "name" in scheme:
                report.add((*at, "name"), "'name' is for a key in the query, path or body; a header key "
                           "names its 'header'")
            return
        if "name" not in scheme:
            report.add(at, f"an API key 'in: {where}' needs 'name' (the {where} name that carries it)", key=True)
        if "header" in scheme:
            report.add((*at, "header"), f"'header' does not apply to an API key 'in: {where}'")

    def header(self, scheme: AuthScheme) -> str:
        return scheme.header or "Authorization"

    def openapi(self, provider: Provider, scheme: AuthScheme, description: str) -> dict[str, Any]:
        if scheme.prefix:
            description += f" Sent as `{scheme.prefix}<key>`."
        if scheme.location == QUERY:
            return {"type": "apiKey", "in": "query", "name": scheme.wire, "description": description}
        # A key in the path or the body has no OpenAPI scheme: render/openapi_routes.py declares it on the
        # operations instead.
        return {"type": "apiKey", "in": "header", "name": scheme.header, "description": description}

    def verify(
        self, scheme: AuthScheme, headers: Mapping[str, str], expect: Expect, token_state: TokenState
    ) -> str | None:
        name = scheme.header or ""
        value = headers.get(name.lower())
        if value is None:
            return f"Missing credentials: no {name} header"
        prefix = scheme.prefix
        if prefix and not value.lower().startswith(prefix.lower()):
            return f"Malformed {name} header: expected '{prefix}<key>'"
        key = value[len(prefix):].strip()
        if not key:
            return f"Malformed {name} header: empty key"
        return None if expect(scheme.inputs[0].name, key) else "Invalid API key"

    def verify_placed(self, scheme: AuthScheme, value: str | None, expect: Expect) -> str | None:
        where = f"{scheme.location} {'placeholder' if scheme.location == 'path' else 'field'} '{scheme.wire}'"
        if not value:
            return f"Missing credentials: no {where}"
        if scheme.prefix and not value.startswith(scheme.prefix):
            return f"Malformed {where}: expected '{scheme.prefix}<key>'"
        key = value[len(scheme.prefix):]
        return None if key and expect(scheme.inputs[0].name, key) else "Invalid API key"


KIND = ApiKey()
