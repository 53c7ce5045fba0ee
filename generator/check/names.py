"""Names the generated code takes: words reserved for it, and the model names model.py derives."""

from __future__ import annotations

from typing import Any

from ..kinds import ANSWERS, DEFAULT_ANSWER
from ..names import PYTHON_RESERVED, RESERVED_MODEL_NAMES
from ..naming import ERROR_MODEL
from ..problems import JsonPath
from .core import Context, Node, rule
from .wording import python_word, reserved_model

# Keywords the generated methods and the CLI take for themselves.
RESERVED_PY = frozenset({"self", "timeout", "raw", "extra_headers", "client", "json", "model", "body"})


def clash(py: str, reserved: frozenset[str]) -> str | None:
    """Why `py` cannot be a Python name in the generated code, if it cannot: the end of a message."""
    if py in reserved:
        return "is reserved by the generated client"
    if py in PYTHON_RESERVED:
        return f"is a Python {python_word(py)}"
    return None


def _own_model(ctx: Context, schema: dict[str, Any]) -> bool:
    """Whether a 2xx answer gets a model of its own: an inline schema, or a named union (a type alias)."""
    ref = schema.get("$ref")
    if not isinstance(ref, str):
        return True
    target = ctx.schemas.get(ref.rsplit("/", 1)[-1])
    return isinstance(target, dict) and ("oneOf" in target or "anyOf" in target)


@rule("names")
def model_names(ctx: Context, _: Node) -> None:
    """Models that model.py derives must not take the name of a schema or of each other."""
    owners: dict[str, str] = {name: f"schema '{name}'" for name in ctx.schemas}

    def claim(name: str, owner: str, path: JsonPath, what: str, *, key: bool = False) -> None:
        if name in RESERVED_MODEL_NAMES:
            ctx.add(path, reserved_model(name, f"model name '{name}' ({what})"), key=key)
        elif name in owners:
            ctx.add(path, f"model name '{name}' ({what}) is already used by {owners[name]}", key=key)
        else:
            owners[name] = owner

    if "$ref" not in ctx.data["errors"]["schema"]:
        error = "the inline error schema"
        claim(ERROR_MODEL, error, ("errors", "schema"), error, key=True)
    seen: set[str] = set()
    for i, (method, names) in enumerate(zip(ctx.methods, ctx.names.methods, strict=True)):
        name = method["name"]
        if name.lower() in seen:
            continue  # a duplicate method, reported already
        seen.add(name.lower())
        if names.body_model is not None:
            body = f"the body of {name}"
            claim(names.body_model, body, ("methods", i, "body", "model"), body)
        for status, response in method["responses"].items():
            answers = [((), response), *((("alternatives", j), alt)
                                         for j, alt in enumerate(response.get("alternatives") or ()))]
            inline = [(*where, "schema") for where, a in answers if "schema" in a and _own_model(ctx, a["schema"])]
            if response.get("headers") and not ANSWERS[response.get("content", DEFAULT_ANSWER)].media_types(None):
                inline.append(("headers",))  # no body: a model of the answer's headers
            if status.startswith("2") and inline:  # its JSON answer (one per status, by the alternatives rule)
                at = ("methods", i, "responses", status, *inline[0])
                answer = f"the {status} answer of {name}"
                claim(names.response_model, answer, at, f"the inline {status} answer of {name}", key=True)
        if any(p["in"] != "body" and "const" not in p for p in method.get("parameters") or []):
            params = f"the parameters of {name}"
            claim(names.params_model, params, ("methods", i, "name"), params)
