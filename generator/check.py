"""Stage 2, check: the spec format's JSON Schema, then the rules JSON Schema cannot express.

Every rule appends a Problem pointing at the offending node; nothing stops at the first one.
"""

from __future__ import annotations

import difflib
import json
import keyword
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError, best_match

from .jsonschema_form import to_json_schema
from .load import Document
from .names import (
    CLIENT_KEYWORDS,
    CLIENT_MEMBERS,
    PYTHON_RESERVED,
    RESERVED_CLI_OPTIONS,
    RESERVED_MODEL_NAMES,
    kebab,
    snake,
)
from .problems import JsonPath, Problem

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Keywords the generated methods and the CLI take for themselves.
RESERVED_PY = frozenset({"self", "timeout", "raw", "extra_headers", "client", "json", "model", "body"})
ERROR_MODEL = "ErrorBody"  # model.py's name for an inline error schema
_REF = re.compile(r"^#/schemas/([A-Za-z][A-Za-z0-9_]*)$")
_MODEL_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*$")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# A header value: visible ASCII with inner spaces, nothing at its ends (a prefix may end with a space).
_HEADER_VALUE = re.compile(r"^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$")
_HEADER_PREFIX = re.compile(r"^[\x21-\x7e][\x20-\x7e]*$")
_HEADER_NAME = re.compile(r"^[A-Za-z0-9-]+$")
_HEADER_TEXT = "an HTTP header value must be visible ASCII characters and inner spaces (no line breaks)"
_LIST_ALLOWED_UP_TO = 10  # longer lists of allowed keys are noise; the format doc has them


@cache
def format_schema() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("spec.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


_TYPE_WORDS = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "null": "null",
}


def _leaf(error: ValidationError) -> ValidationError:
    """For oneOf/anyOf failures, the most relevant inner error."""
    if error.context:
        return _leaf(best_match(error.context))
    return error


def _describe(error: ValidationError) -> tuple[JsonPath, str, bool]:
    """A JSON Schema error in the spec writer's words: (path below the instance, message, points at a key)."""
    path: JsonPath = tuple(error.absolute_path)
    value: Any = error.validator_value
    kind, instance = error.validator, error.instance
    schema: dict[str, Any] = dict(error.schema) if isinstance(error.schema, dict) else {}
    if "propertyNames" in error.relative_schema_path and isinstance(instance, str):
        return (*path, instance), f"key {_show(instance)} {schema.get('x-message', 'is not allowed')}", True
    if kind == "type":
        expected: list[str] = [value] if isinstance(value, str) else [str(v) for v in value]
        return (
            path,
            f"expected {' or '.join(_TYPE_WORDS.get(e, e) for e in expected)}, got {_kind(instance)}",
            False,
        )
    if kind == "enum":
        return path, f"{_show(instance)} is not one of: {', '.join(_show(v) for v in value)}", False
    if kind == "const":
        return path, f"expected {_show(value)}, got {_show(instance)}", False
    if kind == "pattern":
        hint = schema.get("x-message")
        return path, f"{_show(instance)} {hint or f'does not match the pattern {value}'}", False
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return path, f"missing required key '{missing}'", True
    if kind in ("minLength", "minItems", "minProperties") and value == 1:
        return path, "must not be empty", False
    if kind == "minLength":
        return path, f"{_show(instance)} is shorter than {value} characters", False
    if kind == "maxLength":
        return path, f"{_show(instance)} is longer than {value} characters", False
    if kind == "format":
        return path, f"{_show(instance)} is not a valid {value}", False
    return path, error.message, False


def _schema_problems(doc: Document) -> list[Problem]:
    validator = jsonschema.Draft202012Validator(format_schema())
    out: list[Problem] = []
    missing: list[tuple[JsonPath, str, Problem]] = []
    suggested: set[tuple[JsonPath, str]] = set()
    for error in validator.iter_errors(doc.data):
        error = _leaf(error)
        path: JsonPath = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = sorted(_properties(error))
            for key in sorted(k for k in error.instance if k not in allowed):
                guess = _closest(key, allowed)
                if guess:
                    suggested.add((path, guess))
                    message = f"unknown key '{key}'; did you mean '{guess}'?"
                elif len(allowed) <= _LIST_ALLOWED_UP_TO:
                    message = f"unknown key '{key}' (allowed: {', '.join(allowed) or 'none'})"
                else:
                    message = f"unknown key '{key}'"
                out.append(doc.problem((*path, key), message, key=True))
            continue
        sub, message, key = _describe(error)
        problem = doc.problem(sub, message, key=key)
        if error.validator == "required":
            missing.append((path, message.split("'")[1], problem))
        else:
            out.append(problem)
    # A misspelt key shows up twice (unknown + missing); the "did you mean" line says it all.
    out.extend(p for path, name, p in missing if (path, name) not in suggested)
    return out


def _properties(error: ValidationError) -> list[str]:
    schema = error.schema
    return list(schema.get("properties", {})) if isinstance(schema, dict) else []


def _closest(word: str, choices: list[str]) -> str | None:
    for choice in choices:
        if choice.lower() == word.lower():
            return choice
    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.75)
    return found[0] if found else None


class _Checker:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.data: dict[str, Any] = doc.data
        self.problems: list[Problem] = []
        self.schemas: dict[str, Any] = self.data.get("schemas") or {}
        self.schemas_usable = True  # False when refs dangle, loop or patterns do not compile
        self.methods: list[dict[str, Any]] = self.data["methods"]
        self.defs: dict[str, Any] = to_json_schema(self.schemas)

    def add(self, path: JsonPath, message: str, *, key: bool = False) -> None:
        self.problems.append(self.doc.problem(path, message, key=key))

    # --- schemas -------------------------------------------------------------------------------------
    def walk_schemas(self, node: Any, path: JsonPath) -> Iterator[tuple[dict[str, Any], JsonPath]]:
        if not isinstance(node, dict):
            return
        yield node, path
        for key in ("items", "additionalProperties"):
            if isinstance(node.get(key), dict):
                yield from self.walk_schemas(node[key], (*path, key))
        for name, sub in (node.get("properties") or {}).items():
            yield from self.walk_schemas(sub, (*path, "properties", name))

    def all_schema_roots(self) -> Iterator[tuple[Any, JsonPath]]:
        for name, schema in self.schemas.items():
            yield schema, ("schemas", name)
        yield self.data["errors"].get("schema"), ("errors", "schema")
        for i, method in enumerate(self.methods):
            for j, param in enumerate(method.get("parameters") or []):
                yield param.get("schema"), ("methods", i, "parameters", j, "schema")
            for status, response in (method.get("responses") or {}).items():
                yield response.get("schema"), ("methods", i, "responses", status, "schema")
                for h, header in (response.get("headers") or {}).items():
                    yield header.get("schema"), ("methods", i, "responses", status, "headers", h, "schema")

    def all_schema_nodes(self) -> Iterator[tuple[dict[str, Any], JsonPath]]:
        for root, root_path in self.all_schema_roots():
            yield from self.walk_schemas(root, root_path)

    def check_schemas(self) -> None:
        for name in self.schemas:
            if not _MODEL_NAME.match(name):
                self.add(("schemas", name), f"schema name '{name}' must be PascalCase", key=True)
            elif name in RESERVED_MODEL_NAMES:
                self.add(("schemas", name), _reserved_model(name, f"schema name '{name}'"), key=True)
        # First what makes a schema unusable, so the instance checks below can rely on it.
        before = len(self.problems)
        for node, path in self.all_schema_nodes():
            self.check_ref_and_pattern(node, path)
        self.check_cycles()
        self.schemas_usable = len(self.problems) == before
        for node, path in self.all_schema_nodes():
            self.check_schema_node(node, path)

    def check_ref_and_pattern(self, node: dict[str, Any], path: JsonPath) -> None:
        ref = node.get("$ref")
        if ref is not None:
            match = _REF.match(ref)
            if not match:
                self.add((*path, "$ref"), f"$ref '{ref}' must look like '#/schemas/Name'")
            elif match.group(1) not in self.schemas:
                guess = _closest(match.group(1), list(self.schemas))
                hint = f"did you mean '{guess}'?" if guess else f"known: {', '.join(self.schemas) or 'none'}"
                self.add((*path, "$ref"), f"$ref '{ref}' points at no schema ({hint})")
        if "pattern" in node:
            try:
                re.compile(node["pattern"])
            except re.error as exc:
                self.add((*path, "pattern"), f"invalid regular expression: {exc}")

    def check_schema_node(self, node: dict[str, Any], path: JsonPath) -> None:
        if "$ref" in node:
            extra = sorted(set(node) - {"$ref", "description", "example"})
            if extra:
                self.add(path, f"$ref cannot be combined with {', '.join(extra)}")
            return
        kind = node.get("type")
        if kind is None:
            self.add(path, "schema needs 'type' or '$ref'")
            return
        if kind == "array" and "items" not in node:
            self.add(path, "array schema needs 'items'")
        for key in node.get("required") or []:
            if key not in (node.get("properties") or {}):
                self.add((*path, "required"), f"required property '{key}' is not in properties")
        if "enum" in node:
            self.check_enum(node, path)
        if "x-enum-descriptions" in node and "enum" not in node:
            self.add((*path, "x-enum-descriptions"), "x-enum-descriptions without enum")
        for low, high in (("minLength", "maxLength"), ("minimum", "maximum"), ("minItems", "maxItems")):
            if low in node and high in node and node[low] > node[high]:
                self.add((*path, low), f"{low} {node[low]} is greater than {high} {node[high]}")
        for key in ("example", "default"):
            if key in node:
                self.check_instance(node[key], node, (*path, key), key)

    def check_enum(self, node: dict[str, Any], path: JsonPath) -> None:
        values = node["enum"]
        single = {
            k: v for k, v in node.items() if k not in ("enum", "x-enum-descriptions", "example", "default")
        }
        for i, value in enumerate(values):
            self.check_instance(value, single, (*path, "enum", i), "enum value")
        seen: set[str] = set()
        for i, value in enumerate(values):
            if _show(value) in seen:
                self.add((*path, "enum", i), f"enum value {_show(value)} is listed twice")
            seen.add(_show(value))
        meanings = node.get("x-enum-descriptions")
        if meanings is not None and len(meanings) != len(values):
            self.add(
                (*path, "x-enum-descriptions"),
                f"x-enum-descriptions has {len(meanings)} entries for {len(values)} enum values",
            )

    def check_cycles(self) -> None:
        edges: dict[str, set[str]] = {}
        for name, schema in self.schemas.items():
            refs: set[str] = set()
            for node, _ in self.walk_schemas(schema, ()):
                match = _REF.match(str(node.get("$ref", "")))
                if match and match.group(1) in self.schemas:
                    refs.add(match.group(1))
            edges[name] = refs
        order = list(self.schemas)
        reported: set[frozenset[str]] = set()

        def visit(name: str, trail: list[str]) -> None:
            if name in trail:
                cycle = trail[trail.index(name) :]
                members = frozenset(cycle)
                if members not in reported:
                    reported.add(members)
                    # Told once per loop, at the loop's first schema in the file.
                    start = min(cycle, key=order.index)
                    at = cycle.index(start)
                    loop = [*cycle[at:], *cycle[:at], start]
                    self.add(("schemas", start), f"circular reference: {' -> '.join(loop)}", key=True)
                return
            for nxt in sorted(edges.get(name, ())):
                visit(nxt, [*trail, name])

        for name in order:
            visit(name, [])

    def check_instance(self, value: Any, schema: Any, path: JsonPath, what: str = "example") -> None:
        """Report where `value` breaks `schema`, pointing into the value itself."""
        if not isinstance(schema, dict) or not self.schemas_usable:
            return
        # The same JSON Schema form the models and the mock use, so `nullable: true` admits null here too.
        resolved = {**to_json_schema(schema), "$defs": self.defs}
        validator = jsonschema.Draft202012Validator(resolved, format_checker=jsonschema.FormatChecker())
        try:
            error = best_match(validator.iter_errors(value))
        except (jsonschema.exceptions.SchemaError, re.error, RecursionError, ValueError) as exc:
            self.add(path, f"cannot check the {what} against its schema: {exc}")
            return
        if error is None:
            return
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = set(_properties(error))
            extra = next(k for k in sorted(error.instance) if k not in allowed)
            sub: JsonPath = (*error.absolute_path, extra)
            self.add((*path, *sub), f"{what} does not match its schema: unknown key '{extra}'", key=True)
            return
        sub, message, key = _describe(error)
        self.add((*path, *sub), f"{what} does not match its schema: {message}", key=key)

    # --- provider-level ------------------------------------------------------------------------------
    def check_environments(self) -> None:
        envs = self.data["environments"]
        seen: set[str] = set()
        for i, env in enumerate(envs):
            if env["name"] in seen:
                self.add(("environments", i, "name"), f"duplicate environment '{env['name']}'")
            seen.add(env["name"])
        defaults = [i for i, e in enumerate(envs) if e.get("default")]
        if len(envs) > 1 and not defaults:
            self.add(("environments",), "one environment must have 'default: true'", key=True)
        for i in defaults[1:]:
            first = envs[defaults[0]]["name"]
            self.add(
                ("environments", i, "default"), f"only one environment can be the default ('{first}' is)"
            )
        flag = self.data.get("environment_flag")
        if flag:
            here = ("environment_flag", "environment")
            if flag["environment"] not in seen:
                self.add(
                    here, f"unknown environment '{flag['environment']}' (known: {', '.join(sorted(seen))})"
                )
            elif len(envs) == 1:
                self.add(("environment_flag",), "an environment flag needs a second environment", key=True)
            elif envs[defaults[0] if defaults else 0]["name"] == flag["environment"]:
                self.add(here, "the flag must select a non-default environment")
            self.check_flag_name(flag["name"])

    def check_flag_name(self, name: str) -> None:
        """The flag is a keyword of every client constructor and an option of every command."""
        here = ("environment_flag", "name")
        inputs = {input_name for input_name, _, _ in self.inputs()}
        if name in RESERVED_PY | CLIENT_KEYWORDS:
            self.add(here, f"environment flag name '{name}' is reserved by the generated client")
        elif name in PYTHON_RESERVED:
            self.add(here, f"environment flag name '{name}' is a Python {_python_word(name)}")
        elif kebab(name) in RESERVED_CLI_OPTIONS:
            self.add(
                here, f"environment flag name '{name}' collides with the standard CLI option --{kebab(name)}"
            )
        elif name in inputs:
            self.add(here, f"environment flag name '{name}' collides with the auth input '{name}'")

    def check_groups(self) -> None:
        groups = [g["name"] for g in self.data["provider"]["groups"]]
        used = {m.get("group") for m in self.methods}
        seen: set[str] = set()
        for i, name in enumerate(groups):
            if name.lower() in seen:
                self.add(("provider", "groups", i, "name"), f"duplicate group '{name}'")
                continue
            seen.add(name.lower())
            if name not in used:
                self.add(("provider", "groups", i, "name"), f"group '{name}' has no methods")
        for i, method in enumerate(self.methods):
            if method["group"] not in groups:
                self.add(
                    ("methods", i, "group"), f"unknown group '{method['group']}' (known: {', '.join(groups)})"
                )

    def inputs(self) -> Iterator[tuple[str, dict[str, Any], JsonPath]]:
        roles = {
            "bearer": ("token",),
            "basic": ("username", "password"),
            "api_key": ("key",),
            "oauth2": ("token",),
        }
        for scheme_name, scheme in self.data["auth"]["schemes"].items():
            for role in roles[scheme["type"]]:
                spec = scheme[role]
                yield spec.get("name", role), spec, ("auth", "schemes", scheme_name, role)

    def token_methods(self) -> set[str]:
        schemes = self.data["auth"]["schemes"].values()
        return {s["token_method"] for s in schemes if s["type"] == "oauth2"}

    def check_auth(self) -> None:
        auth = self.data["auth"]
        schemes = auth["schemes"]
        methods = {m["name"]: m for m in self.methods}
        for i, alternative in enumerate(auth["require"]):
            for j, name in enumerate(alternative):
                if name not in schemes:
                    self.add(
                        ("auth", "require", i, j),
                        f"unknown auth scheme '{name}' (known: {', '.join(schemes)})",
                    )
        for i, method in enumerate(self.methods):
            if isinstance(method.get("auth"), list):
                for j, alternative in enumerate(method["auth"]):
                    for k, name in enumerate(alternative):
                        if name not in schemes:
                            self.add(
                                ("methods", i, "auth", j, k),
                                f"unknown auth scheme '{name}' (known: {', '.join(schemes)})",
                            )
        for name, scheme in schemes.items():
            if scheme["type"] != "oauth2":
                continue
            token_method = methods.get(scheme["token_method"])
            at: JsonPath = ("auth", "schemes", name, "token_method")
            if token_method is None:
                self.add(at, f"unknown method '{scheme['token_method']}'")
                continue
            needs = token_method.get("auth", auth["require"])
            if needs != "none" and any(name in alternative for alternative in needs):
                self.add(
                    at,
                    f"token method '{token_method['name']}' cannot itself need scheme '{name}' "
                    "(give it 'auth: none' or another scheme)",
                )
        seen: dict[str, JsonPath] = {}
        for name, spec, path in self.inputs():
            if name in seen:
                first = seen[name][2]
                self.add(
                    path, f"auth input '{name}' is declared twice (first in scheme '{first!s}')", key=True
                )
            seen.setdefault(name, path)
            # Point at `name:` when the spec chose the name, else at the role that defaults to it.
            at, key = ((*path, "name"), False) if "name" in spec else (path, True)
            if name in RESERVED_PY | CLIENT_KEYWORDS:
                self.add(at, f"auth input name '{name}' is reserved by the generated client", key=key)
            elif name in PYTHON_RESERVED:
                self.add(at, f"auth input name '{name}' is a Python {_python_word(name)}", key=key)
            if kebab(name) in RESERVED_CLI_OPTIONS:
                message = f"auth input name '{name}' collides with the standard CLI option --{kebab(name)}"
                self.add(at, message, key=key)

    # --- HTTP headers --------------------------------------------------------------------------------
    def check_headers(self) -> None:
        """What goes into an HTTP header must be a valid header name or value (RFC 9110 field syntax)."""
        for name, header in (self.data.get("headers") or {}).items():
            self.check_header_name(name, ("headers", name))
            self.check_header_value(header["value"], ("headers", name, "value"))
        for name, scheme in self.data["auth"]["schemes"].items():
            prefix = scheme.get("prefix", "")
            if scheme["type"] == "api_key" and prefix and not _HEADER_PREFIX.match(prefix):
                self.add(("auth", "schemes", name, "prefix"), f"{_HEADER_TEXT}: {_show(prefix)}")
        for i, method in enumerate(self.methods):
            for j, param in enumerate(method.get("parameters") or []):
                if param["in"] != "header":
                    continue
                here = ("methods", i, "parameters", j)
                self.check_header_name(
                    param.get("field", param["name"]), (*here, "field" if "field" in param else "name")
                )
                for key in ("example", "default", "const"):
                    if isinstance(param.get(key), str):
                        self.check_header_value(param[key], (*here, key))
            for status, response in method["responses"].items():
                for name, header in (response.get("headers") or {}).items():
                    at: JsonPath = ("methods", i, "responses", status, "headers", name)
                    self.check_header_name(name, at, key=True)
                    if isinstance(header.get("example"), str):
                        self.check_header_value(header["example"], (*at, "example"))

    def check_header_name(self, name: str, path: JsonPath, *, key: bool = True) -> None:
        if not _HEADER_NAME.match(name):
            self.add(path, f"header name {_show(name)} must be letters, digits and -", key=key)

    def check_header_value(self, value: str, path: JsonPath) -> None:
        if value and not _HEADER_VALUE.match(value):
            self.add(path, f"{_HEADER_TEXT}: {_show(value)}")

    def check_error_answers(self) -> None:
        errors = self.data["errors"]
        for kind, answer in errors["answers"].items():
            self.check_instance(
                answer["body"], errors["schema"], ("errors", "answers", kind, "body"), "answer body"
            )
            if "{message}" not in json.dumps(answer["body"]):
                self.add(("errors", "answers", kind, "body"), "answer body needs a '{message}' placeholder")

    # --- model names ---------------------------------------------------------------------------------
    def check_model_names(self) -> None:
        """Models that model.py derives must not take the name of a schema or of each other."""
        owners: dict[str, str] = {name: f"schema '{name}'" for name in self.schemas}

        def claim(name: str, owner: str, path: JsonPath, what: str, *, key: bool = False) -> None:
            if name in RESERVED_MODEL_NAMES:
                self.add(path, _reserved_model(name, f"model name '{name}' ({what})"), key=key)
            elif name in owners:
                self.add(path, f"model name '{name}' ({what}) is already used by {owners[name]}", key=key)
            else:
                owners[name] = owner

        if "$ref" not in self.data["errors"]["schema"]:
            claim(
                ERROR_MODEL,
                "the inline error schema",
                ("errors", "schema"),
                "the inline error schema",
                key=True,
            )
        seen: set[str] = set()
        for i, method in enumerate(self.methods):
            name = method["name"]
            if name.lower() in seen:
                continue  # a duplicate method, reported already
            seen.add(name.lower())
            params = method.get("parameters") or []
            body = method.get("body")
            if body:
                claim(
                    body["model"],
                    f"the body of {name}",
                    ("methods", i, "body", "model"),
                    f"the body of {name}",
                )
            for status, response in method["responses"].items():
                if status.startswith("2") and "schema" in response and "$ref" not in response["schema"]:
                    claim(
                        f"{name}Response",
                        f"the {status} answer of {name}",
                        ("methods", i, "responses", status, "schema"),
                        f"the inline {status} answer of {name}",
                        key=True,
                    )
            if any(p["in"] != "body" and "const" not in p for p in params):
                claim(
                    f"{name}Params",
                    f"the parameters of {name}",
                    ("methods", i, "name"),
                    f"the parameters of {name}",
                )

    # --- methods -------------------------------------------------------------------------------------
    def check_methods(self) -> None:
        by_name: dict[str, int] = {}
        by_py: dict[str, int] = {}
        titles: dict[tuple[str, str], int] = {}
        for i, method in enumerate(self.methods):
            name = method["name"]
            if name.lower() in by_name:
                first = self.methods[by_name[name.lower()]]["name"]
                same = "" if first == name else f" ('{first}' differs only in case)"
                self.add(("methods", i, "name"), f"duplicate method '{name}'{same}")
            by_name.setdefault(name.lower(), i)
            py = snake(name)
            if py in by_py and self.methods[by_py[py]]["name"].lower() != name.lower():
                other = self.methods[by_py[py]]["name"]
                self.add(("methods", i, "name"), f"method '{name}' collides with '{other}' as '{py}'")
            by_py.setdefault(py, i)
            if py in CLIENT_MEMBERS:
                self.add(
                    ("methods", i, "name"),
                    f"method name '{name}' (Python '{py}') is reserved by the generated client",
                )
            elif py in PYTHON_RESERVED:
                self.add(
                    ("methods", i, "name"),
                    f"method name '{name}' (Python '{py}') is a Python {_python_word(py)}",
                )
            key = (method["group"], method["title"].lower())
            if key in titles:
                self.add(
                    ("methods", i, "title"),
                    f"duplicate title '{method['title']}' in group '{method['group']}'",
                )
            titles.setdefault(key, i)
            self.check_method(i, method)
        self.check_model_names()

    def check_method(self, i: int, method: dict[str, Any]) -> None:
        verb, _, path = method["http"].partition(" ")
        params = method.get("parameters") or []
        placeholders = _PLACEHOLDER.findall(path)
        if len(set(placeholders)) != len(placeholders):
            self.add(("methods", i, "http"), "path repeats a placeholder")
        if "{" in _PLACEHOLDER.sub("", path) or "}" in _PLACEHOLDER.sub("", path):
            self.add(("methods", i, "http"), "unbalanced braces in path")
        path_params = {p.get("field", p["name"]): j for j, p in enumerate(params) if p["in"] == "path"}
        for placeholder in placeholders:
            if placeholder not in path_params:
                self.add(
                    ("methods", i, "http"), f"path placeholder '{{{placeholder}}}' has no path parameter"
                )
        for wire, j in path_params.items():
            here = ("methods", i, "parameters", j)
            if wire not in placeholders:
                self.add(here, f"path parameter '{wire}' is not in the path '{path}'")
            elif not params[j].get("required"):
                at = (*here, "required") if "required" in params[j] else (*here, "name")
                self.add(at, "path parameters must be required: true")
        self.check_parameters(i, method, params)
        body = method.get("body")
        body_params = [j for j, p in enumerate(params) if p["in"] == "body"]
        if body and not body_params:
            self.add(("methods", i, "body"), "body declared but no parameter is 'in: body'", key=True)
        if body_params and not body:
            self.add(
                ("methods", i, "parameters", body_params[0], "in"),
                "parameters 'in: body' need a 'body' declaration on the method",
            )
        if body and verb == "GET":
            self.add(("methods", i, "body"), "GET requests cannot have a body", key=True)
        if body and body["content"] == "form":
            for j, p in enumerate(params):
                if p["in"] == "body" and p["schema"].get("type") in ("object", "array"):
                    self.add(
                        ("methods", i, "parameters", j, "schema"),
                        f"form bodies hold scalar fields only, not {_TYPE_WORDS[p['schema']['type']][2:]}s",
                    )
        self.check_responses(i, method)
        self.check_idempotency(i, method, verb)

    def client_inputs(self, method: dict[str, Any]) -> dict[str, str]:
        """Python names the client (and every CLI command) takes for itself: name -> what it is."""
        taken = {name: f"the auth input '{name}'" for name, _, _ in self.inputs()}
        flag = self.data.get("environment_flag")
        if flag:
            taken[flag["name"]] = f"the environment flag '{flag['name']}'"
        # The client fills its token method's parameters from its own keywords (model.client_inputs).
        for token_method in self.methods:
            if token_method["name"] in self.token_methods() and token_method is not method:
                for p in token_method.get("parameters") or []:
                    if "const" not in p:
                        taken.setdefault(
                            snake(p["name"]),
                            f"the client keyword '{snake(p['name'])}' "
                            f"(a parameter of token method {token_method['name']})",
                        )
        return taken

    def check_parameters(self, i: int, method: dict[str, Any], params: list[dict[str, Any]]) -> None:
        client = self.client_inputs(method)
        client_options = {kebab(name): what for name, what in client.items()}
        is_token = method["name"] in self.token_methods()
        taken_py: dict[str, int] = {}
        taken_cli: dict[str, int] = {}
        taken_wire: dict[tuple[str, str], int] = {}
        for j, p in enumerate(params):
            here = ("methods", i, "parameters", j)
            py = snake(p["name"])
            option = p.get("cli", kebab(p["name"]))
            option_at = (*here, "cli") if "cli" in p else (*here, "name")
            shown = f"'{p['name']}'" if py == p["name"] else f"'{p['name']}' (Python '{py}')"
            # A token method's parameters are client constructor keywords too (model.client_inputs).
            constructor = CLIENT_KEYWORDS if is_token and "const" not in p else frozenset()
            if py in RESERVED_PY | constructor:
                self.add(
                    (*here, "name"),
                    f"parameter name {shown} is reserved by the generated client; "
                    "rename it and keep the wire name in 'field'",
                )
            elif py in PYTHON_RESERVED:
                self.add(
                    (*here, "name"),
                    f"parameter name {shown} is a Python {_python_word(py)}; "
                    "rename it and keep the wire name in 'field'",
                )
            if py in taken_py:
                self.add(
                    (*here, "name"),
                    f"parameter {shown} collides with parameters[{taken_py[py]}] "
                    f"('{params[taken_py[py]]['name']}')",
                )
            elif option in taken_cli:
                self.add(
                    option_at, f"CLI option --{option} is used twice (also parameters[{taken_cli[option]}])"
                )
            taken_py.setdefault(py, j)
            taken_cli.setdefault(option, j)
            if option in RESERVED_CLI_OPTIONS:
                self.add(option_at, f"CLI option --{option} is reserved for the CLI itself")
            if py in client:
                self.add((*here, "name"), f"parameter {shown} collides with {client[py]}")
            elif option in client_options:
                self.add(option_at, f"CLI option --{option} collides with {client_options[option]}")
            wire = (
                p["in"],
                p.get("field", p["name"]).lower() if p["in"] == "header" else p.get("field", p["name"]),
            )
            if wire in taken_wire:
                at = (*here, "field") if "field" in p else (*here, "name")
                self.add(at, f"two parameters send '{wire[1]}' in the {wire[0]}")
            taken_wire.setdefault(wire, j)
            if "const" in p:
                for key in ("required", "default"):
                    if key in p:
                        self.add((*here, key), f"a const parameter takes no '{key}'", key=True)
                self.check_instance(p["const"], p["schema"], (*here, "const"), "const")
                continue
            if p.get("required") and "default" in p:
                self.add((*here, "default"), "a required parameter cannot have a default", key=True)
            if "default" in p:
                self.check_instance(p["default"], p["schema"], (*here, "default"), "default")
            if "example" in p:
                self.check_instance(p["example"], p["schema"], (*here, "example"))
            elif p.get("required"):
                self.add(here, f"required parameter '{p['name']}' needs an example", key=True)

    def check_responses(self, i: int, method: dict[str, Any]) -> None:
        responses = method["responses"]
        if not any(s.startswith("2") for s in responses):
            self.add(("methods", i, "responses"), "at least one 2xx response is required", key=True)
        for status, response in responses.items():
            here = ("methods", i, "responses", status)
            if status.startswith("2"):
                schema = response.get("schema")
                if schema is None:
                    self.add(here, "a 2xx response needs a schema", key=True)
                elif self.is_object(schema) is False:
                    self.add((*here, "schema"), "a 2xx response schema must be an object")
                if "example" not in response:
                    self.add(here, "a 2xx response needs an example (it is the docs' Result)", key=True)
                elif schema is not None:
                    self.check_instance(response["example"], schema, (*here, "example"))
            elif "example" in response:
                schema = response.get("schema", self.data["errors"]["schema"])
                self.check_instance(response["example"], schema, (*here, "example"))
            for name, header in (response.get("headers") or {}).items():
                if "example" in header and "schema" in header:
                    self.check_instance(
                        header["example"], header["schema"], (*here, "headers", name, "example")
                    )

    def is_object(self, schema: Any, seen: frozenset[str] = frozenset()) -> bool | None:
        """Whether a schema describes an object; None when a $ref cannot tell (reported elsewhere)."""
        if not isinstance(schema, dict):
            return None
        match = _REF.match(str(schema.get("$ref", "")))
        if "$ref" in schema:
            if not match or match.group(1) not in self.schemas or match.group(1) in seen:
                return None
            return self.is_object(self.schemas[match.group(1)], seen | {match.group(1)})
        return bool(schema.get("type") == "object")

    def check_idempotency(self, i: int, method: dict[str, Any], verb: str) -> None:
        spec = method.get("idempotency")
        here = ("methods", i, "idempotency")
        if spec is None:
            return
        if verb not in WRITE_METHODS:
            self.add(here, f"{verb} is safe to retry already; idempotency is for writes", key=True)
            return
        kind = spec["kind"]
        if kind == "header" and "header" not in spec:
            self.add(here, "kind 'header' needs 'header' (the idempotency header's name)", key=True)
        if kind != "header" and "header" in spec:
            self.add((*here, "header"), f"'header' goes with kind 'header', not '{kind}'", key=True)
        if kind != "unique_field":
            for key in ("field", "lookup"):
                if key in spec:
                    self.add((*here, key), f"'{key}' goes with kind 'unique_field', not '{kind}'", key=True)
            return
        names = {p["name"]: p for p in method.get("parameters") or []}
        if "field" not in spec or "lookup" not in spec:
            self.add(here, "kind 'unique_field' needs 'field' and 'lookup'", key=True)
            return
        field = names.get(spec["field"])
        if field is None:
            self.add(
                (*here, "field"), f"unknown parameter '{spec['field']}' (known: {', '.join(names) or 'none'})"
            )
        elif not field.get("required"):
            self.add((*here, "field"), f"the unique field '{spec['field']}' must be a required parameter")
        lookup = spec["lookup"]
        target = next((m for m in self.methods if m["name"] == lookup["method"]), None)
        if target is None:
            self.add((*here, "lookup", "method"), f"unknown method '{lookup['method']}'")
        elif target["http"].split(" ")[0] != "GET":
            self.add((*here, "lookup", "method"), f"lookup method '{lookup['method']}' must be a GET")
        elif lookup["parameter"] not in {p["name"] for p in target.get("parameters") or []}:
            self.add(
                (*here, "lookup", "parameter"),
                f"method '{lookup['method']}' has no parameter '{lookup['parameter']}'",
            )

    def run(self) -> list[Problem]:
        self.check_schemas()
        self.check_environments()
        self.check_groups()
        self.check_auth()
        self.check_error_answers()
        self.check_headers()
        self.check_methods()
        return self.problems


def _reserved_model(name: str, what: str) -> str:
    word = "a Python constant" if keyword.iskeyword(name) else "a name the generated modules use"
    return f"{what} is {word}; rename it"


def _python_word(name: str) -> str:
    return "keyword" if keyword.iskeyword(name) or keyword.issoftkeyword(name) else "builtin"


def check(doc: Document) -> list[Problem]:
    """All problems of one loaded spec: format first; semantic rules only on a well-formed spec."""
    problems = _schema_problems(doc)
    if problems:
        return sorted(set(problems))
    return sorted(set(_Checker(doc).run()))
