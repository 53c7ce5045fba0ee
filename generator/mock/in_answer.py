"""The contract server's side of two rules of a method: its rules across parameters (`parameter_groups`),
checked after the parameters' own validation, and its errors inside success answers (`in_success`): an
invalid call of such a method is answered with the declared failure body under a 2xx status, as the
provider does, instead of the error status of `errors.answers.validation`."""

from __future__ import annotations

from typing import Any

from ..contract import ErrorKind, fill
from ..ir import Method
from ..runtime.param_groups import broken, describe
from .answers import json_answer
from .state import Answer
from .validation import Problem

# The problems a method that reports failures inside success answers answers that way (a bad token keeps
# the provider's unauthorized answer, so a client refreshes it; an unknown route its not-found answer).
IN_ANSWER = frozenset({ErrorKind.VALIDATION})


def group_problem(method: Method, values: dict[str, Any]) -> Problem | None:
    """The first rule across parameters the received values break (by wire names), or None."""
    for group in method.parameter_groups:
        params = method.group_params(group)
        given = sum(1 for p in params if values.get(p.py_name) is not None)
        if broken(group.rule, given, len(params)):
            wires = tuple(p.wire for p in params)
            return Problem(ErrorKind.VALIDATION, describe(group.rule, wires), wires[0])
    return None


def failure(method: Method, kind: ErrorKind, message: str, field: str = "") -> Answer | None:
    """The method's failure-in-a-success-answer for a problem, or None when it answers with an error status."""
    declared = method.in_success
    if declared is None or kind not in IN_ANSWER:
        return None
    return json_answer(declared.status, fill(declared.body, message, field))
