"""The IR of what counts as failure beyond the status: errors inside success answers and rules across
parameters (re-exported by ir.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FailureInAnswer:
    """How a 2xx answer says the call failed (`errors.in_success` or a method's `in_success`). Paths are
    tuples of wire keys (integers index lists), as the spec's dotted paths or JSON pointers give them."""

    field: tuple[str | int, ...]
    test: str  # equals | not_equals | present | absent (runtime/answer_errors.py)
    value: Any  # equals, not_equals: the value compared with
    message: tuple[tuple[str | int, ...], ...]
    codes: tuple[tuple[str | int, ...], ...]
    error: str  # the ApiError class raised
    body: Any  # the failure answer the contract server sends for an invalid call ('{message}' marks the text)
    status: int = 200  # ... and its status
    spec: Any = None  # the declaration as written (for the docs and the OpenAPI export)


@dataclass(frozen=True)
class ParameterGroup:
    """A rule across parameters (`parameter_groups`): `rule` is a key of runtime/param_groups.RULES;
    `parameters` are Python names, in the spec's order."""

    rule: str
    parameters: tuple[str, ...]
