"""Where requests go, read from a spec document: per-method hosts, URLs taken from parameters, the hosts
that may receive credentials, and where an API key travels (header, query, path or body).

Plain functions over the loaded spec data (mappings), so the checker, the model and the renderers share
them; the client's side of the same rules is `runtime/routes.py` and `runtime/placing.py`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .runtime.routes import origin as origin  # one rule for both sides

HEADER, QUERY, PATH, BODY = "header", "query", "path", "body"
_WHOLE = re.compile(r"\{([A-Za-z][A-Za-z0-9_]*)\}")


def url_parameter(http: str) -> str | None:
    """The parameter whose value is the whole URL (`PUT {upload_url}`), if the method's path is one."""
    path = http.partition(" ")[2]
    found = _WHOLE.fullmatch(path)
    return found.group(1) if found else None


def place(scheme: Mapping[str, Any]) -> str:
    """Where an auth scheme's credential travels (only `api_key` schemes may leave the header)."""
    return str(scheme.get("in", HEADER))


def declared_urls(data: Mapping[str, Any]) -> list[str]:
    """Every base URL the spec names: environments, their hosts, and `auth.hosts`."""
    urls: list[str] = []
    for env in data.get("environments") or ():
        urls.append(env["url"])
        urls.extend((env.get("hosts") or {}).values())
    urls.extend((data.get("auth") or {}).get("hosts") or ())
    return urls


def declared_origins(data: Mapping[str, Any]) -> set[tuple[str, str, int]]:
    return {origin(url) for url in declared_urls(data)}


def needs(method: Mapping[str, Any], data: Mapping[str, Any]) -> list[list[str]]:
    """A method's auth alternatives (scheme names), its own or the spec's default."""
    raw = method.get("auth", data["auth"]["require"])
    return [] if raw == "none" else [list(alternative) for alternative in raw]


def placed_schemes(data: Mapping[str, Any], where: str) -> dict[str, Mapping[str, Any]]:
    """The schemes whose credential travels in `where` (query, path or body), by scheme name."""
    return {n: s for n, s in data["auth"]["schemes"].items() if place(s) == where}


def credential_placeholders(method: Mapping[str, Any], data: Mapping[str, Any]) -> set[str]:
    """The path placeholders of a method that a path credential it may send fills (`/bot{token}/...`)."""
    paths = placed_schemes(data, PATH)
    used = {name for alternative in needs(method, data) for name in alternative}
    return {str(paths[name]["name"]) for name in used if name in paths}
