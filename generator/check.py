"""Stage 2, check: the spec format's JSON Schema, then the rules JSON Schema cannot express.

Every rule appends a Problem pointing at the offending node; nothing stops at the first one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache, cached_property
from importlib import resources
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError, best_match

from .jsonschema_form import to_json_schema
from .load import Document
from .names import PYTHON_RESERVED, kebab, snake
from .problems import JsonPath, Problem

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Keywords the generated methods and the CLI take for themselves.
RESERVED_PY = frozenset({"self", "timeout", "raw", "extra_headers", "client", "json", "model"})
RESERVED_CLI = frozenset({"help", "debug", "test", "out", "base-url", "version", "timeout"})
_REF = re.compile(r"^#/schemas/([A-Za-z][A-Za-z0-9_]*)$")
_MODEL_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*$")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@cache
def format_schema() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("spec.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _leaf(error: ValidationError) -> ValidationError:
    """For oneOf/anyOf failures, the most relevant inner error."""
    if error.context:
        return _leaf(best_match(error.context))
    return error


def _schema_problems(doc: Document) -> list[Problem]:
    validator = jsonschema.Draft202012Validator(format_schema())
    out: list[Problem] = []
    for error in validator.iter_errors(doc.data):
        error = _leaf(error)
        path: JsonPath = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = set(error.schema.get("properties", {}))
            for key in sorted(k for k in error.instance if k not in allowed):
                known = ", ".join(sorted(allowed)) or "none"
                out.append(doc.problem((*path, key), f"unknown key '{key}' (allowed: {known})", key=True))
            continue
        if error.validator == "required":
            missing = error.message.split("'")[1] if "'" in error.message else error.message
            out.append(doc.problem(path, f"missing required key '{missing}'", key=True))
            continue
        if error.validator == "type":
            expected = error.validator_value
            got = type(error.instance).__name__
            names = {"str": "string", "int": "integer", "float": "number", "dict": "mapping",
                     "list": "list", "bool": "boolean", "NoneType": "null"}
            exp = expected if isinstance(expected, str) else " or ".join(expected)
            out.append(doc.problem(path, f"expected {exp}, got {names.get(got, got)}"))
            continue
        if error.validator in ("enum", "const"):
            allowed = error.validator_value if error.validator == "enum" else [error.validator_value]
            choices = ", ".join(json.dumps(v) for v in allowed)
            out.append(doc.problem(path, f"{json.dumps(error.instance)} is not one of: {choices}"))
            continue
        if error.validator == "pattern":
            out.append(doc.problem(path, f"{json.dumps(error.instance)} does not match {error.validator_value}"))
            continue
        out.append(doc.problem(path, error.message))
    return out


class _Checker:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.data: dict[str, Any] = doc.data
        self.problems: list[Problem] = []

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
        for name, schema in (self.data.get("schemas") or {}).items():
            yield schema, ("schemas", name)
        yield self.data["errors"].get("schema"), ("errors", "schema")
        for i, method in enumerate(self.data["methods"]):
            for j, param in enumerate(method.get("parameters") or []):
                yield param.get("schema"), ("methods", i, "parameters", j, "schema")
            for status, response in (method.get("responses") or {}).items():
                yield response.get("schema"), ("methods", i, "responses", status, "schema")
                for h, header in (response.get("headers") or {}).items():
                    yield header.get("schema"), ("methods", i, "responses", status, "headers", h, "schema")

    def check_schemas(self) -> None:
        names = self.data.get("schemas") or {}
        for name in names:
            if not _MODEL_NAME.match(name):
                self.add(("schemas", name), f"schema name '{name}' must be PascalCase", key=True)
        for root, root_path in self.all_schema_roots():
            for node, path in self.walk_schemas(root, root_path):
                self.check_schema_node(node, path, names)
        self.check_cycles(names)

    def check_schema_node(self, node: dict[str, Any], path: JsonPath, names: dict[str, Any]) -> None:
        ref = node.get("$ref")
        if ref is not None:
            match = _REF.match(ref)
            if not match:
                self.add((*path, "$ref"), f"$ref '{ref}' must look like '#/schemas/Name'")
            elif match.group(1) not in names:
                self.add((*path, "$ref"), f"$ref '{ref}' points at no schema (known: {', '.join(names)})")
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
        if "pattern" in node:
            try:
                re.compile(node["pattern"])
            except re.error as exc:
                self.add((*path, "pattern"), f"invalid regular expression: {exc}")
        for key in ("example", "default"):
            if key in node:
                self.check_instance(node[key], node, (*path, key))

    def check_enum(self, node: dict[str, Any], path: JsonPath) -> None:
        values = node["enum"]
        single = {k: v for k, v in node.items() if k not in ("enum", "x-enum-descriptions", "example", "default")}
        for i, value in enumerate(values):
            self.check_instance(value, single, (*path, "enum", i))
        if len({json.dumps(v) for v in values}) != len(values):
            self.add((*path, "enum"), "enum has duplicate values")
        meanings = node.get("x-enum-descriptions")
        if meanings is not None and len(meanings) != len(values):
            self.add((*path, "x-enum-descriptions"),
                     f"x-enum-descriptions has {len(meanings)} entries for {len(values)} enum values")

    def check_cycles(self, names: dict[str, Any]) -> None:
        edges: dict[str, set[str]] = {}
        for name, schema in names.items():
            refs: set[str] = set()
            for node, _ in self.walk_schemas(schema, ()):
                match = _REF.match(str(node.get("$ref", "")))
                if match:
                    refs.add(match.group(1))
            edges[name] = refs
        reported: set[str] = set()

        def visit(name: str, trail: list[str]) -> None:
            if name in trail:
                cycle = [*trail[trail.index(name):], name]
                if cycle[0] not in reported:
                    reported.add(cycle[0])
                    self.add(("schemas", cycle[0]), f"circular reference: {' -> '.join(cycle)}", key=True)
                return
            for nxt in sorted(edges.get(name, ())):
                visit(nxt, [*trail, name])

        for name in sorted(edges):
            visit(name, [])

    def resolve(self, schema: Any) -> Any:
        """The schema with '#/schemas/X' refs made resolvable by jsonschema."""
        return {**schema, "$defs": self.data.get("schemas") or {}} if isinstance(schema, dict) else schema

    def check_instance(self, value: Any, schema: Any, path: JsonPath, what: str = "example") -> None:
        if not isinstance(schema, dict) or self.problems_in_refs:
            return
        resolved = {**to_json_schema(schema), "$defs": self.json_defs}
        validator = jsonschema.Draft202012Validator(resolved, format_checker=jsonschema.FormatChecker())
        error = best_match(validator.iter_errors(value))
        if error is not None:
            where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
            self.add(path, f"{what} does not match its schema: {error.message}" + (f" (at {where})" if where else ""))

    @cached_property
    def json_defs(self) -> dict[str, Any]:
        defs: dict[str, Any] = to_json_schema(self.data.get("schemas") or {})
        return defs

    @property
    def problems_in_refs(self) -> bool:
        return any("$ref" in p.message or "circular" in p.message for p in self.problems)

    # --- provider-level ------------------------------------------------------------------------------
    def check_environments(self) -> None:
        envs = self.data["environments"]
        seen: set[str] = set()
        for i, env in enumerate(envs):
            if env["name"] in seen:
                self.add(("environments", i, "name"), f"duplicate environment '{env['name']}'")
            seen.add(env["name"])
        defaults = [i for i, e in enumerate(envs) if e.get("default")]
        if len(envs) > 1 and len(defaults) != 1:
            self.add(("environments",), f"exactly one environment must have 'default: true' (found {len(defaults)})")
        flag = self.data.get("environment_flag")
        if flag:
            if flag["environment"] not in seen:
                self.add(("environment_flag", "environment"), f"unknown environment '{flag['environment']}'")
            elif len(envs) > 1 and envs[defaults[0] if defaults else 0]["name"] == flag["environment"]:
                self.add(("environment_flag", "environment"), "the flag must select a non-default environment")

    def check_groups(self) -> None:
        groups = [g["name"] for g in self.data["provider"]["groups"]]
        used = {m.get("group") for m in self.data["methods"]}
        seen: set[str] = set()
        for i, name in enumerate(groups):
            if name.lower() in seen:
                self.add(("provider", "groups", i, "name"), f"duplicate group '{name}'")
            seen.add(name.lower())
            if name not in used:
                self.add(("provider", "groups", i, "name"), f"group '{name}' has no methods")
        for i, method in enumerate(self.data["methods"]):
            if method["group"] not in groups:
                self.add(("methods", i, "group"), f"unknown group '{method['group']}' (known: {', '.join(groups)})")

    def inputs(self) -> Iterator[tuple[str, dict[str, Any], JsonPath]]:
        roles = {"bearer": ("token",), "basic": ("username", "password"), "api_key": ("key",), "oauth2": ("token",)}
        for scheme_name, scheme in self.data["auth"]["schemes"].items():
            for role in roles[scheme["type"]]:
                spec = scheme[role]
                yield spec.get("name", role), spec, ("auth", "schemes", scheme_name, role)

    def check_auth(self) -> None:
        auth = self.data["auth"]
        schemes = auth["schemes"]
        methods = {m["name"]: m for m in self.data["methods"]}
        for i, alternative in enumerate(auth["require"]):
            for j, name in enumerate(alternative):
                if name not in schemes:
                    self.add(("auth", "require", i, j), f"unknown auth scheme '{name}'")
        for i, method in enumerate(self.data["methods"]):
            if isinstance(method.get("auth"), list):
                for j, alternative in enumerate(method["auth"]):
                    for k, name in enumerate(alternative):
                        if name not in schemes:
                            self.add(("methods", i, "auth", j, k), f"unknown auth scheme '{name}'")
        for name, scheme in schemes.items():
            if scheme["type"] != "oauth2":
                continue
            token_method = methods.get(scheme["token_method"])
            path = ("auth", "schemes", name, "token_method")
            if token_method is None:
                self.add(path, f"unknown method '{scheme['token_method']}'")
            elif any(name in alt for alt in (token_method.get("auth") or auth["require"]) if alt != "none"):
                self.add(path, f"token method '{token_method['name']}' cannot itself need scheme '{name}'")
        seen: dict[str, JsonPath] = {}
        for name, _spec, path in self.inputs():
            if name in seen:
                self.add(path, f"auth input '{name}' is declared twice")
            seen[name] = path
            if name in PYTHON_RESERVED or name in RESERVED_PY:
                self.add(path, f"auth input name '{name}' is a Python keyword or builtin")
            if kebab(name) in RESERVED_CLI:
                self.add(path, f"auth input name '{name}' collides with the standard CLI option --{kebab(name)}")

    def check_error_answers(self) -> None:
        errors = self.data["errors"]
        for kind, answer in errors["answers"].items():
            self.check_instance(answer["body"], errors["schema"], ("errors", "answers", kind, "body"), "answer body")
            if "{message}" not in json.dumps(answer["body"]):
                self.add(("errors", "answers", kind, "body"), "answer body needs a '{message}' placeholder")

    # --- methods -------------------------------------------------------------------------------------
    def check_methods(self) -> None:
        methods = self.data["methods"]
        by_name: dict[str, int] = {}
        by_py: dict[str, int] = {}
        titles: dict[tuple[str, str], int] = {}
        model_names = set(self.data.get("schemas") or {})
        for i, method in enumerate(methods):
            name = method["name"]
            if name.lower() in by_name:
                self.add(("methods", i, "name"), f"duplicate method '{name}' (first is methods[{by_name[name.lower()]}])")
            by_name.setdefault(name.lower(), i)
            py = snake(name)
            if py in by_py and methods[by_py[py]]["name"].lower() != name.lower():
                self.add(("methods", i, "name"), f"method '{name}' collides with '{methods[by_py[py]]['name']}' as '{py}'")
            by_py.setdefault(py, i)
            key = (method["group"], method["title"].lower())
            if key in titles:
                self.add(("methods", i, "title"), f"duplicate title '{method['title']}' in group '{method['group']}'")
            titles.setdefault(key, i)
            body = method.get("body")
            if body:
                if body["model"] in model_names:
                    self.add(("methods", i, "body", "model"), f"model name '{body['model']}' is already used")
                model_names.add(body["model"])
            self.check_method(i, method)

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
                self.add(("methods", i, "http"), f"path placeholder '{{{placeholder}}}' has no path parameter")
        for wire, j in path_params.items():
            if wire not in placeholders:
                self.add(("methods", i, "parameters", j), f"path parameter '{wire}' is not in the path '{path}'")
            elif not params[j].get("required"):
                self.add(("methods", i, "parameters", j, "name"), "path parameters must be required: true")
        self.check_parameters(i, method, params)
        body = method.get("body")
        has_body_params = any(p["in"] == "body" for p in params)
        if body and not has_body_params:
            self.add(("methods", i, "body"), "body declared but no parameter is 'in: body'")
        if has_body_params and not body:
            self.add(("methods", i, "parameters"), "parameters 'in: body' need a 'body' declaration")
        if body and verb == "GET":
            self.add(("methods", i, "body"), "GET requests cannot have a body")
        if body and body["content"] == "form":
            for j, p in enumerate(params):
                if p["in"] == "body" and p["schema"].get("type") in ("object", "array"):
                    self.add(("methods", i, "parameters", j, "schema"), "form bodies hold scalar fields only")
        self.check_responses(i, method)
        self.check_idempotency(i, method, verb)

    def check_parameters(self, i: int, method: dict[str, Any], params: list[dict[str, Any]]) -> None:
        inputs = {name for name, _, _ in self.inputs()}
        flag = (self.data.get("environment_flag") or {}).get("name")
        taken_py: dict[str, int] = {}
        taken_cli: dict[str, int] = {}
        taken_wire: dict[tuple[str, str], int] = {}
        for j, p in enumerate(params):
            here = ("methods", i, "parameters", j)
            py = snake(p["name"])
            option = p.get("cli", kebab(p["name"]))
            if py in PYTHON_RESERVED or py in RESERVED_PY:
                self.add((*here, "name"), f"parameter name '{p['name']}' is a Python keyword or builtin ('{py}'); "
                         "rename it and keep the wire name in 'field'")
            if py in taken_py:
                self.add((*here, "name"), f"parameter '{p['name']}' collides with parameters[{taken_py[py]}] as '{py}'")
            taken_py.setdefault(py, j)
            if option in taken_cli:
                self.add((*here, "name"), f"CLI option --{option} is used twice")
            taken_cli.setdefault(option, j)
            if option in RESERVED_CLI:
                self.add((*here, "name"), f"CLI option --{option} is reserved for the CLI itself")
            if py in inputs or py == flag:
                self.add((*here, "name"), f"parameter '{p['name']}' collides with an auth input or the environment flag")
            wire = (p["in"], p.get("field", p["name"]).lower() if p["in"] == "header" else p.get("field", p["name"]))
            if wire in taken_wire:
                self.add((*here, "field"), f"two parameters send '{wire[1]}' in the {wire[0]}")
            taken_wire.setdefault(wire, j)
            if "const" in p:
                if p.get("required") or "default" in p:
                    self.add(here, "a const parameter takes neither required nor default")
                self.check_instance(p["const"], p["schema"], (*here, "const"), "const")
                continue
            if p.get("required") and "default" in p:
                self.add((*here, "default"), "a required parameter cannot have a default")
            if "default" in p:
                self.check_instance(p["default"], p["schema"], (*here, "default"), "default")
            if "example" in p:
                self.check_instance(p["example"], p["schema"], (*here, "example"))
            elif p.get("required"):
                self.add(here, f"required parameter '{p['name']}' needs an example", key=True)

    def check_responses(self, i: int, method: dict[str, Any]) -> None:
        responses = method["responses"]
        successes = [s for s in responses if s.startswith("2")]
        if not successes:
            self.add(("methods", i, "responses"), "at least one 2xx response is required")
        for status, response in responses.items():
            here = ("methods", i, "responses", status)
            if status.startswith("2"):
                schema = response.get("schema")
                if schema is None:
                    self.add(here, "a 2xx response needs a schema", key=True)
                elif not self.is_object(schema):
                    self.add((*here, "schema"), "a 2xx response schema must be an object")
                if "example" not in response:
                    self.add(here, "a 2xx response needs an example (it is the docs' Result)", key=True)
                elif schema is not None:
                    self.check_instance(response["example"], schema, (*here, "example"))
            else:
                if "schema" in response and "example" in response:
                    self.check_instance(response["example"], response["schema"], (*here, "example"))
                elif "example" in response:
                    self.check_instance(response["example"], self.data["errors"]["schema"], (*here, "example"))
            for name, header in (response.get("headers") or {}).items():
                if "example" in header and "schema" in header:
                    self.check_instance(header["example"], header["schema"], (*here, "headers", name, "example"))

    def is_object(self, schema: Any) -> bool:
        if not isinstance(schema, dict):
            return False
        match = _REF.match(str(schema.get("$ref", "")))
        if match:
            return self.is_object((self.data.get("schemas") or {}).get(match.group(1)))
        return schema.get("type") == "object"

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
            self.add(here, "kind 'header' needs 'header' (the idempotency header's name)")
        if kind != "header" and "header" in spec:
            self.add((*here, "header"), f"'header' goes with kind 'header', not '{kind}'")
        if kind != "unique_field":
            for key in ("field", "lookup"):
                if key in spec:
                    self.add((*here, key), f"'{key}' goes with kind 'unique_field', not '{kind}'")
            return
        names = {p["name"]: p for p in method.get("parameters") or []}
        if "field" not in spec or "lookup" not in spec:
            self.add(here, "kind 'unique_field' needs 'field' and 'lookup'")
            return
        field = names.get(spec["field"])
        if field is None:
            self.add((*here, "field"), f"unknown parameter '{spec['field']}'")
        elif not field.get("required"):
            self.add((*here, "field"), f"the unique field '{spec['field']}' must be a required parameter")
        lookup = spec["lookup"]
        target = next((m for m in self.data["methods"] if m["name"] == lookup["method"]), None)
        if target is None:
            self.add((*here, "lookup", "method"), f"unknown method '{lookup['method']}'")
        elif target["http"].split(" ")[0] != "GET":
            self.add((*here, "lookup", "method"), f"lookup method '{lookup['method']}' must be a GET")
        elif lookup["parameter"] not in {p["name"] for p in target.get("parameters") or []}:
            self.add((*here, "lookup", "parameter"), f"method '{lookup['method']}' has no parameter '{lookup['parameter']}'")

    def run(self) -> list[Problem]:
        self.check_schemas()
        self.check_environments()
        self.check_groups()
        self.check_auth()
        self.check_error_answers()
        self.check_methods()
        return self.problems


def check(doc: Document) -> list[Problem]:
    """All problems of one loaded spec: format first; semantic rules only on a well-formed spec."""
    problems = _schema_problems(doc)
    if problems:
        return sorted(set(problems))
    return sorted(set(_Checker(doc).run()))
