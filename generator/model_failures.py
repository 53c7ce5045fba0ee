"""A method's errors inside success answers (`errors.in_success`, a method's `in_success`) and its rules
across parameters (`parameter_groups`), as the IR's `FailureInAnswer` and `ParameterGroup`s."""

from __future__ import annotations

from typing import Any

from . import ir
from .runtime.answer_errors import ABSENT, EQUALS, NOT_EQUALS, PRESENT, split

TESTS = (EQUALS, NOT_EQUALS, PRESENT)  # the keys of `when` besides `field`


def declared(provider_errors: dict[str, Any], method: dict[str, Any]) -> dict[str, Any] | None:
    """The `in_success` declaration that applies to a method: its own, else the provider's; None for
    `in_success: none` and for a method whose success answer is not JSON."""
    own = method.get("in_success", provider_errors.get("in_success"))
    if not isinstance(own, dict):
        return None
    success: dict[str, Any] = next(
        (r for s, r in sorted(method["responses"].items()) if str(s).startswith("2")), {}
    )
    return own if success.get("content", "json") == "json" else None


def test_of(when: dict[str, Any]) -> tuple[str, Any]:
    """(test, value) of a `when` mapping."""
    if PRESENT in when:
        return (PRESENT if when[PRESENT] else ABSENT), None
    if NOT_EQUALS in when:
        return NOT_EQUALS, when[NOT_EQUALS]
    return EQUALS, when.get(EQUALS)


def in_success(provider_errors: dict[str, Any], method: dict[str, Any]) -> ir.FailureInAnswer | None:
    spec = declared(provider_errors, method)
    if spec is None:
        return None
    test, value = test_of(spec["when"])
    return ir.FailureInAnswer(
        field=split(spec["when"]["field"]),
        test=test,
        value=value,
        message=tuple(split(p) for p in spec.get("message", ())),
        codes=tuple(split(p) for p in spec.get("code", ())),
        error=spec.get("class", "ApiError"),
        body=spec["body"],
        status=int(spec.get("status", 200)),
        spec=spec,
    )


def parameter_groups(
    method: dict[str, Any], raw_params: list[dict[str, Any]], params: tuple[ir.Parameter, ...]
) -> tuple[ir.ParameterGroup, ...]:
    py = {raw["name"]: p.py_name for raw, p in zip(raw_params, params, strict=True)}
    return tuple(
        ir.ParameterGroup(g["rule"], tuple(py[name] for name in g["parameters"]))
        for g in method.get("parameter_groups") or ()
    )
