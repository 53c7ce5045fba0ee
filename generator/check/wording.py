"""Problems in the spec writer's words: values, JSON Schema errors, near-miss names, reserved names."""

from __future__ import annotations

import difflib
import keyword
from typing import Any

from jsonschema.exceptions import ValidationError, best_match

from ..problems import JsonPath, show

TYPE_WORDS = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "null": "null",
}


# bool before int: True is an int to isinstance.
_KIND_WORDS = (
    (bool, "a boolean"), (int, "an integer"), (float, "a number"), (str, "a string"), (list, "a list"),
    (dict, "a mapping"),
)


def kind(value: Any) -> str:
    if value is None:
        return "null"
    return next((word for cls, word in _KIND_WORDS if isinstance(value, cls)), type(value).__name__)


def leaf(error: ValidationError) -> ValidationError:
    """For oneOf/anyOf failures, the most relevant inner error."""
    if error.context:
        return leaf(best_match(error.context))
    return error


def describe(error: ValidationError) -> tuple[JsonPath, str, bool]:
    """A JSON Schema error in the spec writer's words: (path below the instance, message, points at a key)."""
    path: JsonPath = tuple(error.absolute_path)
    value: Any = error.validator_value
    validator, instance = error.validator, error.instance
    schema: dict[str, Any] = dict(error.schema) if isinstance(error.schema, dict) else {}
    if "propertyNames" in error.relative_schema_path and isinstance(instance, str):
        return (*path, instance), f"key {show(instance)} {schema.get('x-message', 'is not allowed')}", True
    if validator == "type":
        expected: list[str] = [value] if isinstance(value, str) else [str(v) for v in value]
        return (
            path,
            f"expected {' or '.join(TYPE_WORDS.get(e, e) for e in expected)}, got {kind(instance)}",
            False,
        )
    if validator == "enum":
        return path, f"{show(instance)} is not one of: {', '.join(show(v) for v in value)}", False
    if validator == "const":
        return path, f"expected {show(value)}, got {show(instance)}", False
    if validator == "pattern":
        hint = schema.get("x-message")
        return path, f"{show(instance)} {hint or f'does not match the pattern {value}'}", False
    if validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return path, f"missing required key '{missing}'", True
    if validator in ("minLength", "minItems", "minProperties") and value == 1:
        return path, "must not be empty", False
    if validator == "minLength":
        return path, f"{show(instance)} is shorter than {value} characters", False
    if validator == "maxLength":
        return path, f"{show(instance)} is longer than {value} characters", False
    if validator == "format":
        return path, f"{show(instance)} is not a valid {value}", False
    return path, error.message, False


def properties(error: ValidationError) -> list[str]:
    """The keys the schema that refused an unknown key allows."""
    schema = error.schema
    return list(schema.get("properties", {})) if isinstance(schema, dict) else []


def closest(word: str, choices: list[str]) -> str | None:
    for choice in choices:
        if choice.lower() == word.lower():
            return choice
    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.75)
    return found[0] if found else None


def reserved_model(name: str, what: str) -> str:
    word = "a Python constant" if keyword.iskeyword(name) else "a name the generated modules use"
    return f"{what} is {word}; rename it"


def python_word(name: str) -> str:
    return "keyword" if keyword.iskeyword(name) or keyword.issoftkeyword(name) else "builtin"
