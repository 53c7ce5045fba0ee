"""The contract server's side of `generator/routes.py`: every method on one port, whatever its host; a
method whose URL is a parameter is served at the path of that parameter's example; and the credentials
that travel in the query, the path or the body, read from where the spec puts them."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from ..ir import AuthScheme, Method, Provider
from ..kinds import BODIES
from ..routes import BODY, PATH, QUERY
from .validation import Incoming


def url_example(method: Method) -> str | None:
    """The example value of a method's URL parameter (the URL the contract server answers at)."""
    param = next((p for p in method.parameters if p.py_name == method.url_parameter), None)
    return str(param.example) if param is not None and isinstance(param.example, str) else None


def served_path(method: Method) -> str:
    """The path the contract server routes a method by."""
    if method.url_parameter is None:
        return method.path
    return urlsplit(url_example(method) or "/").path or "/"


def url_values(method: Method) -> dict[str, Any]:
    """A URL method's parameter as the contract server reads it: the example URL it is served for."""
    param = next((p for p in method.parameters if p.py_name == method.url_parameter), None)
    return {} if param is None else {param.wire: url_example(method)}


def path_credentials(provider: Provider) -> frozenset[str]:
    """The path placeholders that hold credentials (`{token}` in `/bot{token}/...`)."""
    return frozenset(s.wire for s in provider.schemes if s.location == PATH and s.wire)


def placed(schemes: list[AuthScheme], method: Method, incoming: Incoming,
           path_values: dict[str, Any]) -> dict[str, str | None]:
    """Scheme name -> the credential found at its place (None: absent), for schemes not in a header."""
    found: dict[str, str | None] = {}
    body: dict[str, Any] | None = None
    for scheme in schemes:
        if scheme.location == QUERY:
            values = incoming.query.get(scheme.wire or "")
            found[scheme.name] = values[0] if values else None
        elif scheme.location == PATH:
            value = path_values.get(scheme.wire or "")
            found[scheme.name] = None if value is None else str(value)
        elif scheme.location == BODY:
            if body is None:
                body = _fields(method, incoming)
            value = body.get(scheme.wire or "")
            found[scheme.name] = value if isinstance(value, str) else None
    return found


def _fields(method: Method, incoming: Incoming) -> dict[str, Any]:
    if method.body_content is None or not incoming.body:
        return {}
    parsed = BODIES[method.body_content].parse(incoming.body, incoming.content_type)
    return parsed if isinstance(parsed, dict) else {}
