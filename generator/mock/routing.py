"""Which spec method a request is for: path templates with typed parameters, then the HTTP method."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from ..ir import JsonSchema, Location, Method, Provider
from .routes import path_credentials, served_path, url_values
from .values import scalar

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True)
class Matched:
    method: Method
    path_values: dict[str, Any]  # wire name -> value read as its schema's type


@dataclass(frozen=True)
class NotAllowed:
    allowed: tuple[str, ...]


@dataclass(frozen=True)
class NoRoute:
    message: str


@dataclass(frozen=True)
class _Route:
    method: Method
    patterns: tuple[re.Pattern[str] | str, ...]  # per segment: a literal or a pattern with named groups
    names: dict[str, str]  # group name -> wire name
    specificity: tuple[int, ...]  # literal segments sort first

    def match(self, segments: list[str]) -> dict[str, str] | None:
        if len(segments) != len(self.patterns):
            return None
        found: dict[str, str] = {}
        for segment, pattern in zip(segments, self.patterns, strict=True):
            if isinstance(pattern, str):
                if segment != pattern:
                    return None
                continue
            hit = pattern.fullmatch(segment)
            if hit is None:
                return None
            found.update({self.names[g]: v for g, v in hit.groupdict().items()})
        return found


def _compile(method: Method, index: int) -> _Route:
    names: dict[str, str] = {}
    patterns: list[re.Pattern[str] | str] = []
    for segment in served_path(method).split("/"):
        if "{" not in segment:
            patterns.append(unquote(segment))
            continue
        regex, last = "", 0
        for hit in _PLACEHOLDER.finditer(segment):
            group = f"p{index}_{len(names)}"
            names[group] = hit.group(1)
            regex += re.escape(segment[last:hit.start()]) + f"(?P<{group}>.+?)"
            last = hit.end()
        patterns.append(re.compile(regex + re.escape(segment[last:])))
    specificity = tuple(0 if isinstance(p, str) else 1 for p in patterns)
    return _Route(method, tuple(patterns), names, specificity)


class Router:
    def __init__(self, provider: Provider, defs: dict[str, JsonSchema]) -> None:
        self._routes = [_compile(m, i) for i, m in enumerate(provider.methods)]
        self._defs = defs
        self._credentials = path_credentials(provider)  # path segments that hold a credential

    def _typed(self, route: _Route, raw: dict[str, str]) -> tuple[dict[str, Any] | None, str]:
        values: dict[str, Any] = {}
        for param in route.method.parameters:
            if param.location is not Location.PATH or param.wire not in raw:
                continue
            value, ok = scalar(raw[param.wire], param.schema, self._defs)
            if not ok:
                kind = param.schema.get("type", "value")
                return None, f"{param.wire} must be {'an' if str(kind)[0] in 'aeiou' else 'a'} {kind}"
            values[param.wire] = value
        values.update({wire: raw[wire] for wire in self._credentials if wire in raw})
        return values, ""

    def match(self, verb: str, raw_path: str, query: dict[str, list[str]]) -> Matched | NotAllowed | NoRoute:
        # Split before decoding, so an encoded '/' stays inside its segment.
        segments = [unquote(s) for s in raw_path.split("/")]
        candidates: list[tuple[_Route, dict[str, Any]]] = []
        mismatch = ""
        for route in self._routes:
            raw = route.match(segments)
            if raw is None:
                continue
            values, why = self._typed(route, raw)
            if values is None:
                mismatch = mismatch or why
                continue
            candidates.append((route, values))
        if not candidates:
            path = unquote(raw_path)
            return NoRoute(f"Not found: {mismatch}" if mismatch else f"Not found: no resource at {path}")
        same_verb = [c for c in candidates if c[0].method.http_method == verb]
        if not same_verb:
            return NotAllowed(tuple(sorted({c[0].method.http_method for c in candidates})))
        best = min(c[0].specificity for c in same_verb)
        tied = [c for c in same_verb if c[0].specificity == best]
        route, values = max(tied, key=lambda c: self._fit(c[0].method, query))
        return Matched(route.method, {**url_values(route.method), **values})

    @staticmethod
    def _fit(method: Method, query: dict[str, list[str]]) -> tuple[int, int]:
        """Methods sharing a path and verb are told apart by the required query parameters present."""
        required = [p.wire for p in method.parameters if p.location is Location.QUERY and p.required]
        if not all(name in query for name in required):
            return (0, 0)
        return (1, len(required))
