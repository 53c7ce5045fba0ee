"""The spec format's JSON Schema (generator/spec.schema.json): the first check, on the whole document."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import jsonschema

from ..problems import JsonPath, Problem
from .core import Context, Node, Phase, rule
from .wording import closest, describe, leaf, properties

_LIST_ALLOWED_UP_TO = 10  # longer lists of allowed keys are noise; the format doc has them


@cache
def format_schema() -> dict[str, Any]:
    text = resources.files("generator").joinpath("spec.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@rule("document", Phase.STRUCTURE)
def format_problems(ctx: Context, node: Node) -> None:
    validator = jsonschema.Draft202012Validator(format_schema())
    missing: list[tuple[JsonPath, str, Problem]] = []
    suggested: set[tuple[JsonPath, str]] = set()
    for error in validator.iter_errors(node.value):
        error = leaf(error)
        path: JsonPath = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = sorted(properties(error))
            for key in sorted(k for k in error.instance if k not in allowed):
                guess = closest(key, allowed)
                if guess:
                    suggested.add((path, guess))
                    message = f"unknown key '{key}'; did you mean '{guess}'?"
                elif len(allowed) <= _LIST_ALLOWED_UP_TO:
                    message = f"unknown key '{key}' (allowed: {', '.join(allowed) or 'none'})"
                else:
                    message = f"unknown key '{key}'"
                ctx.add((*path, key), message, key=True)
            continue
        sub, message, key = describe(error)
        problem = ctx.doc.problem(sub, message, key=key)
        if error.validator == "required":
            missing.append((path, message.split("'")[1], problem))
        else:
            ctx.problems.append(problem)
    # A misspelt key shows up twice (unknown + missing); the "did you mean" line says it all.
    ctx.problems.extend(p for path, name, p in missing if (path, name) not in suggested)
