"""Stage 3, model: a checked spec document -> the typed IR (`ir.Provider`)."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any

from . import ir
from .jsonschema_form import to_json_schema
from .kinds import ANSWERS, AUTH, BODIES, DEFAULT_ANSWER
from .load import Document
from .model_failures import in_success, parameter_groups
from .model_paging import pagination
from .model_webhooks import webhooks_of
from .names import slug, snake
from .naming import ERROR_MODEL, MethodName, ParamName, SpecNames
from .routes import place, url_parameter

_PY_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}


def _defs(schema: Any) -> Any:
    """The JSON Schema form the renderers use (refs as '#/$defs/X', nullable as a null type)."""
    return to_json_schema(schema)


def _is_union(schema: dict[str, Any]) -> bool:
    return "oneOf" in schema or "anyOf" in schema


def ref_name(schema: dict[str, Any]) -> str | None:
    ref = schema.get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


class _Builder:
    def __init__(self, doc: Document, source_file: str) -> None:
        self.doc = doc
        self.data: dict[str, Any] = doc.data
        self.source_file = source_file
        self.alias: str = self.data["provider"]["alias"]
        self.names = SpecNames.of(self.data)  # the names the checker passed
        self.schemas: dict[str, Any] = self.data.get("schemas") or {}
        self.models: dict[str, Any] = {name: _defs(s) for name, s in self.schemas.items()}
        self.resolving: set[str] = set()  # the named unions type_of is inside

    # --- types ---------------------------------------------------------------------------------------
    def type_of(self, schema: dict[str, Any], *, accept_dict: bool = True) -> ir.TypeRef:
        name = ref_name(schema)
        if name is not None:
            target = self.schemas[name]
            if _is_union(target):
                if name in self.resolving:  # a union nested in itself (lists of lists): typed by its model
                    return ir.TypeRef(python="Any", label=name, cli="union", model=name)
                self.resolving.add(name)
                try:
                    union = self.type_of(target, accept_dict=accept_dict)
                finally:
                    self.resolving.discard(name)
                return ir.TypeRef(python=union.python, label=name, cli=union.cli, model=name,
                                  variants=union.variants)
            if target.get("type") != "object" and "allOf" not in target:
                return self.type_of(target, accept_dict=accept_dict)
            python = f"{name} | dict[str, Any]" if accept_dict else name
            return ir.TypeRef(python=python, label=name, cli="json", model=name)
        if _is_union(schema):
            return self.union_of(schema, accept_dict=accept_dict)
        if "allOf" in schema:  # an inline composition: an object to the client
            return ir.TypeRef(python="dict[str, Any]", label="object", cli="json", model=None)
        kind = schema["type"]
        if isinstance(kind, list) and "null" in kind:  # `type: [string, "null"]`: the others, or None
            rest = [k for k in kind if k != "null"]
            base = self.type_of({**schema, "type": rest[0] if len(rest) == 1 else rest}, accept_dict=accept_dict)
            return replace(base, python=f"{base.python} | None", label=f"{base.label} or null")
        if isinstance(kind, list):  # `type: [string, integer]`: a union of scalars
            same = {k: v for k, v in schema.items() if k not in ("type", "description", "example", "default")}
            return self.union_of({"oneOf": [{**same, "type": k} for k in kind]}, accept_dict=accept_dict)
        if kind == "array":
            item = self.type_of(schema["items"], accept_dict=accept_dict)
            inner = f"({item.python})" if " | " in item.python else item.python
            return ir.TypeRef(python=f"list[{inner}]", label=f"array of {item.label}", cli="json",
                              model=item.model, is_array=True, enum=item.enum,
                              enum_descriptions=item.enum_descriptions, item=item)
        if kind == "object":
            return ir.TypeRef(python="dict[str, Any]", label="object", cli="json", model=None)
        if kind == "string" and schema.get("format") == "binary":  # a file: path, bytes or binary file
            return ir.TypeRef(python="FileInput", label="file", cli="file", model=None)
        enum = tuple(schema.get("enum", ()))
        meanings = tuple(schema.get("x-enum-descriptions", ()))
        if enum:
            python = "Literal[" + ", ".join(repr(v) for v in enum) + "]"
        elif kind == "string" and schema.get("format") == "date":
            python = "dt.date"
        elif kind == "string" and schema.get("format") == "date-time":
            python = "dt.datetime"
        else:
            python = _PY_SCALARS[kind]
        cli = {"date": "date", "date-time": "datetime"}.get(schema.get("format", ""), kind) if kind == "string" else kind
        label = kind if "format" not in schema else f"{kind} ({schema['format']})"
        return ir.TypeRef(python=python, label=label, cli=cli, model=None, enum=enum, enum_descriptions=meanings)

    def union_of(self, schema: dict[str, Any], *, accept_dict: bool) -> ir.TypeRef:
        """`A | B` for the variants of a oneOf / anyOf; a plain dict is accepted once for model variants."""
        variants = tuple(self.type_of(v, accept_dict=False) for v in schema.get("oneOf") or schema["anyOf"])
        pieces = list(dict.fromkeys(v.python for v in variants))
        if accept_dict and any(v.model is not None and not v.is_array for v in variants):
            pieces.append("dict[str, Any]")
        cli = "json" if all(v.cli == "json" and not v.is_array for v in variants) else "union"
        return ir.TypeRef(python=" | ".join(pieces), label=" or ".join(v.label for v in variants), cli=cli,
                          model=None, variants=variants)

    # --- provider pieces -----------------------------------------------------------------------------
    def environments(self) -> tuple[ir.Environment, ...]:
        envs = self.data["environments"]
        default = next((e["name"] for e in envs if e.get("default")), envs[0]["name"])
        return tuple(
            ir.Environment(e["name"], e["url"].rstrip("/"), e.get("description", ""), e["name"] == default,
                           hosts=tuple((k, v.rstrip("/")) for k, v in (e.get("hosts") or {}).items()))
            for e in envs
        )

    def schemes(self) -> tuple[ir.AuthScheme, ...]:
        out = []
        for name, spec in self.data["auth"]["schemes"].items():
            kind = AUTH[spec["type"]]
            inputs = []
            for names in self.names.scheme_inputs(name):
                raw = names.spec
                inputs.append(ir.Input(
                    name=names.name, option=names.option, env=names.env, description=raw["description"],
                    secret=raw.get("secret", names.role in kind.secret_roles), example=raw.get("example"),
                ))
            out.append(ir.AuthScheme(
                name=name, kind=kind.name, inputs=tuple(inputs), issues_tokens=kind.issues_tokens,
                header=spec.get("header"),
                prefix=spec.get("prefix", ""), token_method=spec.get("token_method"),
                token_field=spec.get("token_field", "access_token"),
                expires_field=spec.get("expires_field", "expires_in"), options=kind.options(spec),
                refresh_field=spec.get("refresh_field", kind.refresh_field), flow=kind.flow(spec, tuple(inputs)),
                location=place(spec), wire=spec.get("name"),
            ))
        return tuple(out)

    def errors(self) -> ir.Errors:
        spec = self.data["errors"]
        name = ref_name(spec["schema"])
        if name is None:
            name = ERROR_MODEL
            self.models[name] = _defs(spec["schema"])
        answers = {k: ir.ErrorAnswer(v["status"], v["body"]) for k, v in spec["answers"].items()}
        return ir.Errors(schema=_defs(spec["schema"]), model=name, message_paths=tuple(spec["message"]),
                         answers=answers, errata=tuple(spec.get("errata", ())))

    # --- methods -------------------------------------------------------------------------------------
    def parameter(self, raw: dict[str, Any], names: ParamName) -> ir.Parameter:
        kind = self.type_of(raw["schema"])
        annotation, default_code = _signature(kind, raw)
        return ir.Parameter(
            name=raw["name"], py_name=names.py, option=names.option, env=names.env,
            location=ir.Location(raw["in"]), wire=names.wire,
            required=bool(raw.get("required", False)), default=raw.get("default"), has_default="default" in raw,
            const=raw.get("const"), is_const="const" in raw, secret=bool(raw.get("secret", False)),
            description=raw["description"], schema=_defs(raw["schema"]), type=kind,
            example=raw.get("example"), has_example="example" in raw, annotation=annotation,
            default_code=default_code, style=raw.get("style"), examples=_named_examples(raw),
            media_type=raw.get("media_type"),
        )

    def params_model(self, method: dict[str, Any], names: MethodName, params: tuple[ir.Parameter, ...]
                     ) -> str | None:
        """A model of the path, query and header parameters, so the client validates them like a body."""
        fields = [p for p in params if p.location is not ir.Location.BODY and not p.is_const]
        if not fields:
            return None
        name = names.params_model
        if name in self.models:
            raise ValueError(f"{self.source_file}: schema {name} clashes with the parameters model of "
                             f"{method['name']}")
        schema: dict[str, Any] = {
            "type": "object",
            "description": f"Path, query and header parameters of {method['name']}.",
            "properties": {p.wire: _property(p) for p in fields},
        }
        required = [p.wire for p in fields if p.required]
        if required:
            schema["required"] = required
        self.models[name] = schema
        return name

    def body_model(self, method: dict[str, Any], params: tuple[ir.Parameter, ...]) -> str | None:
        body = method.get("body")
        if not body:
            return None
        fields = [p for p in params if p.location is ir.Location.BODY and not p.is_file]  # files: streamed
        schema: dict[str, Any] = {
            "type": "object",
            "description": f"Request body of {method['name']}.",
            "properties": {p.wire: _property(p) for p in fields},
        }
        required = [p.wire for p in fields if p.required or p.is_const]
        if required:
            schema["required"] = required
        self.models[body["model"]] = schema
        return str(body["model"])

    def response(self, names: MethodName, status: str, raw: dict[str, Any]) -> ir.Response:
        schema = raw.get("schema")
        model = None
        if schema is not None:
            model = ref_name(schema)
            if model is not None and _is_union(self.schemas.get(model, {})) and status.startswith("2"):
                model = None  # a named union is a type alias, not a model: the answer gets a root model
            if model is None and status.startswith("2"):
                model = names.response_model
                self.models[model] = _defs(schema)
        elif not status.startswith("2"):
            schema = self.data["errors"]["schema"]
            model = ref_name(schema) or ERROR_MODEL
        headers = tuple(
            ir.Header(name, h["description"], _defs(h.get("schema", {"type": "string"})), h.get("example"))
            for name, h in (raw.get("headers") or {}).items()
        )
        example, has_example = raw.get("example"), "example" in raw
        if "example_file" in raw:  # a binary example shipped beside the spec
            example, has_example = (Path(self.doc.file).parent / raw["example_file"]).read_bytes(), True
        kind = ANSWERS[raw.get("content", DEFAULT_ANSWER)]
        python = None
        if headers and status.startswith("2") and not kind.media_types(None) and model is None:
            model = python = names.response_model  # no body: a frozen model of the declared headers
            self.models[model] = headers_schema(f"Answer headers of {names.name}.", headers)
        elif kind.result is not None:
            python = kind.result
        elif schema is not None and status.startswith("2") and self.resolved(schema).get("type") != "object":
            python = self.type_of(schema, accept_dict=False).python
        return ir.Response(
            status=int(status), description=raw["description"], schema=_defs(schema) if schema else None,
            model=model, headers=headers, example=example, has_example=has_example, content=kind.name,
            media_type=raw.get("media_type"), python=python,
            examples=_named_examples(raw),
            filename=raw.get("filename") or (PurePosixPath(raw["example_file"]).name if "example_file" in raw
                                             else None),
            alternatives=tuple(  # the same answer in other media types: same description and headers
                self.response(names, status, {"description": raw["description"], **alt,
                                              "headers": raw.get("headers") or {}})
                for alt in raw.get("alternatives") or ()
            ),
        )

    def resolved(self, schema: dict[str, Any]) -> dict[str, Any]:
        """A schema with its `$ref`s followed (to tell an object from an array or a scalar)."""
        seen: set[str] = set()
        while (name := ref_name(schema)) is not None and name not in seen:
            seen.add(name)
            schema = self.schemas[name]
        return schema

    def safety(self, method: dict[str, Any], verb: str) -> ir.Safety:
        spec = method.get("idempotency")
        if verb == "GET" or method.get("pagination") is not None:  # a paginated method reads, whatever its verb
            return ir.Safety(ir.Idempotency.SAFE, None)
        if spec is None:
            return ir.Safety(ir.Idempotency.NONE, None)
        lookup = None
        if spec.get("lookup"):
            raw = spec["lookup"]
            lookup = ir.Lookup(method=snake(raw["method"]), parameter=snake(raw["parameter"]),
                               items=raw["items"], result=raw.get("result"))
        return ir.Safety(
            kind=ir.Idempotency(spec["kind"]), note=spec.get("note"), header=spec.get("header"),
            field=snake(spec["field"]) if "field" in spec else None, lookup=lookup,
        )

    def method(self, raw: dict[str, Any], names: MethodName, position: int) -> ir.Method:
        verb, _, path = raw["http"].partition(" ")
        raw_params = raw.get("parameters") or []
        params = tuple(self.parameter(p, n) for p, n in zip(raw_params, names.params, strict=True))
        auth_raw = raw.get("auth", self.data["auth"]["require"])
        auth = () if auth_raw == "none" else tuple(tuple(alt) for alt in auth_raw)
        return ir.Method(
            name=raw["name"], py_name=names.py, title=raw["title"], slug=slug(raw["title"]),
            description=raw["description"], group=raw["group"], http_method=verb, path=path, auth=auth,
            doc_title=raw["doc"]["title"], doc_url=raw["doc"]["url"], source=raw["source"],
            notes=tuple(raw.get("notes", ())), errata=tuple(raw.get("errata", ())), parameters=params,
            body_content=BODIES[raw["body"]["content"]].name if raw.get("body") else None,
            body_model=self.body_model(raw, params),
            responses=tuple(self.response(names, s, r) for s, r in raw["responses"].items()),
            safety=self.safety(raw, verb), position=position,
            params_model=self.params_model(raw, names, params),
            body_media=(raw.get("body") or {}).get("media_type"),
            body_style=(raw.get("body") or {}).get("style"),
            pagination=pagination(raw.get("pagination"), raw_params, params),
            host=raw.get("host"),
            url_parameter=next((p.py_name for p in params if p.wire == url_parameter(raw["http"])), None),
            in_success=in_success(self.data["errors"], raw),
            parameter_groups=parameter_groups(raw, raw_params, params),
        )

    def build(self) -> ir.Provider:
        prov = self.data["provider"]
        errors = self.errors()
        positions: dict[str, int] = {}
        methods = []
        for raw, names in zip(self.data["methods"], self.names.methods, strict=True):
            positions[raw["group"]] = positions.get(raw["group"], 0) + 1
            methods.append(self.method(raw, names, positions[raw["group"]]))
        groups = tuple(
            ir.Group(g["name"], slug(g["name"]), g.get("description", ""), i + 1,
                     tuple(m for m in methods if m.group == g["name"]))
            for i, g in enumerate(prov["groups"])
        )
        flag = self.data.get("environment_flag")
        schemes = self.schemes()
        return ir.Provider(
            alias=self.alias, title=prov["title"], description=prov["description"], docs_url=prov["docs_url"],
            credentials=prov.get("credentials"), errata=tuple(prov.get("errata", ())),
            environments=self.environments(),
            environment_flag=ir.EnvironmentFlag(flag["name"], self.names.flag_option, flag["description"],
                                                flag["environment"]) if flag else None,
            headers=tuple(ir.DefaultHeader(k, v["value"], v["description"])
                          for k, v in (self.data.get("headers") or {}).items()),
            schemes=schemes, auth=tuple(tuple(a) for a in self.data["auth"]["require"]),
            errors=errors, schemas=dict(sorted(self.models.items())), methods=tuple(methods), groups=groups,
            source_file=self.source_file, spec_hash=hashlib.sha256(self.doc.text).hexdigest(),
            client_inputs=self.client_inputs(schemes, methods), base_url_env=self.names.base_url_env,
            docs_folder=slug(prov["title"]) or self.alias,
            unions=tuple(self.named_union(n, s) for n, s in sorted(self.schemas.items()) if _is_union(s)),
            webhooks=webhooks_of(self.data),
            credential_hosts=tuple(u.rstrip("/") for u in self.data["auth"].get("hosts") or ()),
        )

    def named_union(self, name: str, schema: dict[str, Any]) -> ir.NamedUnion:
        found = schema.get("discriminator") or {}
        prop = found.get("propertyName")
        tags: list[tuple[str, str]] = []
        for variant in schema.get("oneOf") or schema["anyOf"]:
            model = ref_name(variant)
            target = self.schemas.get(model or "", {})
            values = (target.get("properties") or {}).get(prop or "", {}).get("enum") or ()
            tags.extend((str(v), model) for v in values if prop and model)
        return ir.NamedUnion(name=name, description=schema.get("description", ""),
                             type=self.type_of(schema, accept_dict=False), discriminator=prop, tags=tuple(tags))

    def client_inputs(self, schemes: tuple[ir.AuthScheme, ...], methods: list[ir.Method]
                      ) -> tuple[ir.Input, ...]:
        """Scheme inputs, then the parameters of token methods the client fills from its own keywords."""
        inputs = {i.name: i for s in schemes for i in s.inputs}
        by_name = {m.name: m for m in methods}
        for scheme in schemes:
            token_method = by_name.get(scheme.token_method or "")
            if token_method is None:
                continue
            for p in token_method.parameters:
                if p.is_const or p.py_name in inputs:
                    continue
                inputs[p.py_name] = ir.Input(
                    name=p.py_name, option=p.option, env=p.env, description=p.description, secret=p.secret,
                    example=None if p.example is None else str(p.example),
                )
        return tuple(inputs.values())


def headers_schema(description: str, headers: tuple[ir.Header, ...]) -> dict[str, Any]:
    """The model of an empty answer's headers: one optional field per header, keyed by its name."""
    return {"type": "object", "description": description,
            "properties": {h.name: {**h.schema, "description": h.description} for h in headers}}


def _property(p: ir.Parameter) -> dict[str, Any]:
    """A parameter as a property of its model; secrets are marked so the model's repr hides them."""
    if "$ref" in p.schema:
        return p.schema
    return {**p.schema, "description": p.description, **({"x-secret": True} if p.secret else {})}


def _named_examples(raw: dict[str, Any]) -> tuple[ir.NamedExample, ...]:
    return tuple(ir.NamedExample(k, v.get("summary", ""), v["value"]) for k, v in (raw.get("examples") or {}).items())


def _signature(kind: ir.TypeRef, raw: dict[str, Any]) -> tuple[str, str | None]:
    """A parameter's annotation and default in a generated method signature. A date or date-time is also
    taken as text, which is sent exactly as written once it is valid (`runtime/given.py`)."""
    python = f"{kind.python} | str" if kind.python in ("dt.date", "dt.datetime") else kind.python
    if raw.get("required"):
        return python, None
    default = raw.get("default")
    if "default" in raw and default is not None and not isinstance(default, dict | list):
        return python, repr(default)
    optional = python if python.endswith(" | None") else f"{python} | None"
    return optional, "None"


def build(doc: Document, source_file: str) -> ir.Provider:
    """The IR of one spec that `check` passed."""
    return _Builder(doc, source_file).build()
