"""Where a request goes: the method's own host per environment, or a URL given as a parameter, and
whether that destination may receive the client's credentials.

An operation with either has a `Route` in `op.features["route"]`. `base_url=` (or the provider's
`OPI_<ALIAS>_BASE_URL`) sends every method to one server: a method's host is replaced by it, and a URL
parameter on a host the spec declares keeps its path and moves to that server. Credentials go only to
the hosts the spec declares (environments, their hosts, `auth.hosts`) and to the `base_url=` server: a
URL parameter that points anywhere else (another host name, scheme or port) is sent without them.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .errors import ValidationError
from .spec import Operation, _Record

FEATURE = "route"
NO_HOSTS: Mapping[str, str] = MappingProxyType({})  # shared and read-only, so a safe default
_PORTS = {"http": 80, "https": 443}


class Route(_Record):
    """A method's own host (per environment), or the parameter that holds its whole URL."""

    __slots__ = ("hosts", "trusted", "url")

    def __init__(
        self, *, hosts: Mapping[str, str] = NO_HOSTS, url: str | None = None, trusted: tuple[str, ...] = ()
    ) -> None:
        self.hosts = hosts  # environment name -> the method's base URL there
        self.url = url  # wire name of the parameter whose value is the whole URL (`PUT {upload_url}`)
        self.trusted = trusted  # base URLs that may receive credentials (for a URL parameter)


def origin(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an absolute URL; two URLs share credentials only when these are equal."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port or _PORTS.get(scheme, 0)


def route(op: Operation[Any]) -> Route | None:
    found = op.features.get(FEATURE)
    return found if isinstance(found, Route) else None


def destination(
    op: Operation[Any], path: str, environment: str, base_url: str, override: str | None
) -> tuple[str, bool]:
    """The request's URL, and whether it may carry the client's credentials."""
    found = op.features.get(FEATURE)
    if not isinstance(found, Route):  # most methods: the client's base URL
        return base_url + path, True
    if override is None and found.hosts:  # the method's own host
        base_url = found.hosts.get(environment, base_url)
    if found.url is None:
        return base_url + path, True
    url = path  # the parameter's value: a whole URL
    if urlsplit(url).scheme.lower() not in _PORTS:
        raise ValidationError(op.name, [(found.url, "must be an http:// or https:// URL [url_scheme]")])
    given = origin(url)
    declared = given in {origin(u) for u in found.trusted}
    if override is None:
        return url, declared
    if given == origin(override):
        return url, True
    if declared:  # a declared host stands for the test server, as every method's host does
        target, parts = urlsplit(override), urlsplit(url)
        return urlunsplit((target.scheme, target.netloc, parts.path, parts.query, parts.fragment)), True
    return url, False
