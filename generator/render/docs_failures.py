"""Docs wording of a method's rules across parameters (under its parameter table) and of its errors
inside success answers (beside its error answers)."""

from __future__ import annotations

import json

from ..ir import FailureInAnswer, Method
from ..runtime import answer_errors, param_groups
from .mdx import code


def path_text(path: tuple[str | int, ...]) -> str:
    return ".".join(str(key) for key in path)


def rule_lines(method: Method) -> tuple[str, ...]:
    """`Exactly one of `email` (`--email`), `user_id` (`--user-id`) must be given.` per rule."""
    return tuple(
        param_groups.sentence(g.rule, [f"{code(p.py_name)} ({code('--' + p.option)})" for p in method.group_params(g)])
        + " The call checks it before sending anything."
        for g in method.parameter_groups
    )


def _condition(f: FailureInAnswer) -> str:
    field = code(path_text(f.field))
    value = code(json.dumps(f.value, ensure_ascii=False))
    return {
        answer_errors.EQUALS: f"its {field} is {value}",
        answer_errors.NOT_EQUALS: f"its {field} is not {value}",
        answer_errors.PRESENT: f"it has {field}",
        answer_errors.ABSENT: f"it lacks {field}",
    }[f.test]


def in_success_text(method: Method) -> str | None:
    """How a failed call shows in a success answer, and what the client does with it."""
    f = method.in_success
    if f is None:
        return None
    where = ", ".join(code(path_text(p)) for p in f.message)
    codes = ", ".join(code(path_text(p)) for p in f.codes)
    text = (
        f"A failed call can come back as a success answer: when {_condition(f)}, the call raises "
        f"{code(f.error)} (the CLI exits with code 4) with the provider's message from {where}"
    )
    return text + (f" and its code from {codes}." if codes else ".")
