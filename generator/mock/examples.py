"""Which of a response's examples the contract server answers with.

A method answers its `example` unless another is asked for: per request with the header
`Prefer: example=<name>` (the convention of other contract servers), or for every following request with
`MockServer.use_example(method, name)`. A named example is answered as it is written in the spec. A name the
response does not have is a validation error naming the known ones.
"""

from __future__ import annotations

import copy
import re
import threading
from typing import Any

from ..ir import Method

_PREFER = re.compile(r"(?:^|[,;\s])example=\"?([A-Za-z0-9][A-Za-z0-9_-]*)\"?")


class UnknownExample(ValueError):
    pass


class Chooser:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._chosen: dict[str, str] = {}  # method name -> example name, for every request until reset

    def use(self, method: Method, name: str | None) -> None:
        if name is not None:
            _value(method, name)  # raises for a name the response does not have
        with self._lock:
            if name is None:
                self._chosen.pop(method.name, None)
            else:
                self._chosen[method.name] = name

    def reset(self) -> None:
        with self._lock:
            self._chosen.clear()

    def pick(self, method: Method, headers: dict[str, str]) -> tuple[bool, Any]:
        """(True, the value) when a named example answers this request; (False, None) for the usual answer."""
        found = _PREFER.search(headers.get("prefer", ""))
        with self._lock:
            name = found.group(1) if found else self._chosen.get(method.name)
        if name is None:
            return False, None
        return True, _value(method, name)


def _value(method: Method, name: str) -> Any:
    for example in method.success.examples:
        if example.name == name:
            return copy.deepcopy(example.value)
    known = ", ".join(e.name for e in method.success.examples) or "none"
    raise UnknownExample(f"{method.name} has no example named {name!r} (named examples: {known})")
