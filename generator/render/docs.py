"""OPI-style Docusaurus docs: a page per method and per model, a landing page per provider, one index.

The page view-models below hold every name, path, position and escaped cell; templates in
`templates/docs/` only lay them out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..ir import JsonSchema, Method, Provider, Response
from .docs_examples import credentials, environment_choice, examples
from .docs_layout import INDEX, Layout, category, front_matter, layout, provider_folder, relative
from .docs_types import (
    BR,
    CHECK,
    CROSS,
    FieldRow,
    constraints_md,
    enum_md,
    field_rows,
    model_link,
    refs,
    schema_type_md,
    typeref_md,
    value_text,
)
from .env import render as render_template
from .mdx import code, fence, link, md, md_cell, tidy

DOCS = "docs"


@dataclass(frozen=True)
class Row:
    """One row of a method's parameter table; every cell is escaped Markdown."""

    name: str
    option: str
    type: str
    required: str
    description: str


@dataclass(frozen=True)
class Table:
    """A plain table: its header and rows of escaped Markdown cells."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class CodeBlock:
    fence: str
    info: str
    body: str


@dataclass(frozen=True)
class MethodPage:
    front_matter: str
    title: str
    description: str
    signature: str
    rows: tuple[Row, ...]
    body: str | None
    returns: str
    return_fields: tuple[FieldRow, ...]
    answers: tuple[str, ...]
    tips: tuple[str, ...]
    python: CodeBlock
    bash: CodeBlock
    batch: CodeBlock
    result: CodeBlock


@dataclass(frozen=True)
class ModelPage:
    front_matter: str
    name: str
    description: str
    fields: tuple[FieldRow, ...]
    kind: str | None  # type of a model that is not an object
    constraints: str
    values: tuple[str, ...]  # allowed values of a model that is not an object, with their meanings
    used_in: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    """A link with its one-line description, for lists of methods and models."""

    link: str
    description: str


@dataclass(frozen=True)
class Section:
    title: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class ProviderPage:
    front_matter: str
    title: str
    description: str
    docs_link: str
    credentials: str | None
    inputs: Table
    environments: Table
    environment_hint: str | None
    base_url_env: str
    start: MethodPage
    start_link: str
    sections: tuple[Section, ...]
    errors_model: str
    error_answers: Table
    errata: tuple[str, ...]


@dataclass(frozen=True)
class ProviderEntry:
    link: str
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class IndexPage:
    front_matter: str
    table: Table
    providers: tuple[ProviderEntry, ...]


# --- method pages --------------------------------------------------------------------------------------
def _required(required: bool, has_default: bool, default: object) -> str:
    if required:
        return CHECK
    return f"{CROSS} (default {code(value_text(default), cell=True)})" if has_default else CROSS


def _secret_note(env: str) -> str:
    return f"Secret: also read from {code(env, cell=True)}."


def rows(provider: Provider, method: Method, models: str) -> list[Row]:
    out = []
    for c in credentials(provider, method):
        item = c.input
        notes = ["Argument of `Client`." + (" " + _secret_note(item.env) if item.secret else "")]
        out.append(
            Row(
                code(item.name, cell=True),
                code("--" + item.option, cell=True),
                "string",
                CHECK if c.required else CROSS,
                BR.join([md_cell(item.description), *notes]),
            )
        )
    for p in method.parameters:
        if p.is_const:
            continue
        parts = [md_cell(p.description)]
        if p.type.enum:
            parts.append("Values:" + BR + enum_md(p.type.enum, p.type.enum_descriptions))
        if p.secret:
            parts.append(_secret_note(p.env))
        out.append(
            Row(
                code(p.py_name, cell=True),
                code("--" + p.option, cell=True),
                typeref_md(p.type, models),
                _required(p.required, p.has_default, p.default),
                BR.join(parts),
            )
        )
    flag = provider.environment_flag
    if flag is not None:
        target = next(e for e in provider.environments if e.name == flag.environment)
        note = (
            f"Argument of `Client`; `true` selects the {code(target.name, cell=True)} environment "
            f"({md_cell(target.url)})."
        )
        out.append(
            Row(
                code(flag.name, cell=True),
                code("--" + flag.option, cell=True),
                "boolean",
                _required(False, True, False),
                BR.join([md_cell(flag.description), note]),
            )
        )
    elif len(provider.environments) > 1:
        default = provider.default_environment
        values = enum_md(
            [e.name for e in provider.environments],
            [f"{e.description} {e.url}".strip() for e in provider.environments],
        )
        out.append(
            Row(
                "`environment`",
                "`--environment`",
                "string",
                _required(False, True, default.name),
                BR.join(["Environment of the API. Argument of `Client`.", "Values:" + BR + values]),
            )
        )
    return out


def signature(method: Method) -> str:
    args = [
        f"{p.py_name}: {p.annotation}" + ("" if p.default_code is None else f" = {p.default_code}")
        for p in method.parameters
        if not p.is_const
    ]
    star = "*, " if args else ""
    return code(f"client.{method.py_name}({star}{', '.join(args)}) -> {method.success.model or 'Any'}")


def _returns(provider: Provider, response: Response, models: str) -> tuple[str, tuple[FieldRow, ...]]:
    status = f"HTTP status {response.status}: {md(response.description)}"
    if response.model is None:
        return f"the answer's JSON. {status}", ()
    schema = provider.schemas.get(response.model, {})
    about = md(str(schema.get("description", "")))
    text = f"{model_link(response.model, models)}" + (f": {about}" if about else ".") + f" {status}"
    for header in response.headers:
        where = code(f'result.raw_response.headers["{header.name}"]')
        text += f"{BR}Response header {code(header.name)}: {md(header.description)} In Python: {where}."
    return text, tuple(field_rows(schema, models, provider.schemas))


def _tips(method: Method) -> list[str]:
    tips = [md(note) for note in method.notes]
    tips.extend("Differs from the provider's page: " + md(erratum) for erratum in method.errata)
    if method.safety.note:
        tips.append("Retries: " + md(method.safety.note))
    tips.append(f"Method at API documentation: {link(method.doc_title, method.doc_url)}")
    return tips


def method_page(provider: Provider, method: Method, where: Layout) -> MethodPage:
    page = where.method_page(method)
    models = where.models_from(page)
    description = method.description.rstrip(". ")
    meta = front_matter(
        [
            ("sidebar_position", method.position),
            ("description", f"{method.title} ({method.name}) in the {provider.title} API: {description}."),
            ("keywords", [provider.title, provider.alias, method.name, method.title, method.group]),
        ]
    )
    body = None
    if method.body_model is not None and method.body_content is not None:
        body = (
            f"Request body: {model_link(method.body_model, models)}, sent as "
            f"{'JSON' if method.body_content.value == 'json' else 'an HTML form'}."
        )
    returns, fields = _returns(provider, method.success, models)
    answers = tuple(
        f"{code(str(r.status))}: {md(r.description)}" for r in method.responses if not r.is_success
    )
    code_examples = examples(provider, method)
    result = json.dumps(method.success.example, ensure_ascii=False, indent=2) + "\n"
    return MethodPage(
        front_matter=meta,
        title=method.title,
        description=method.description,
        signature=signature(method),
        rows=tuple(rows(provider, method, models)),
        body=body,
        returns=returns,
        return_fields=fields,
        answers=answers,
        tips=tuple(_tips(method)),
        python=CodeBlock(fence(code_examples.python), 'python title="Code example"', code_examples.python),
        bash=CodeBlock(fence(code_examples.bash), 'bash title="CLI command example"', code_examples.bash),
        batch=CodeBlock(fence(code_examples.batch), 'batch title="CLI command example"', code_examples.batch),
        result=CodeBlock(fence(result), 'json title="Result"', result),
    )


# --- model pages ---------------------------------------------------------------------------------------
def _users(provider: Provider, name: str, where: Layout, page: str) -> list[str]:
    out = []
    for method in provider.methods:
        types = [p.type for p in method.parameters]
        uses = (
            name == method.body_model
            or name in {r.model for r in method.responses if r.is_success}
            or any(t.model == name for t in types)
        )
        if uses:
            out.append(link(method.title, relative(page, where.method_page(method))))
    for other in documented_models(provider):
        if other != name and name in refs(provider.schemas[other]):
            out.append(model_link(other, ""))
    return out


def documented_models(provider: Provider) -> list[str]:
    """Every model but the internal ones that hold a method's path and query parameters (its table does)."""
    internal = {m.params_model for m in provider.methods}
    return sorted(name for name in provider.schemas if name not in internal)


def _values(schema: JsonSchema) -> tuple[str, ...]:
    meanings = list(schema.get("x-enum-descriptions", ()))
    values = [v for v in schema.get("enum", ()) if v is not None]
    return tuple(
        code(value_text(v)) + (f": {md(meanings[i])}" if i < len(meanings) and meanings[i] else "")
        for i, v in enumerate(values)
    )


def model_page(provider: Provider, name: str, position: int, where: Layout) -> ModelPage:
    schema: JsonSchema = provider.schemas[name]
    page = where.model_page(name)
    description = str(schema.get("description", ""))
    about = f"The {name} model of the {provider.title} API"
    about += f": {description.rstrip('. ')}." if description.strip(". ") else "."
    meta = front_matter(
        [
            ("sidebar_position", position),
            ("description", about),
            ("keywords", [provider.title, provider.alias, name]),
        ]
    )
    is_object = schema.get("type") == "object" or "properties" in schema
    return ModelPage(
        front_matter=meta,
        name=name,
        description=description,
        fields=tuple(field_rows(schema, "", provider.schemas)) if is_object else (),
        kind=None if is_object else schema_type_md(schema, ""),
        constraints=constraints_md(schema),
        values=() if is_object else _values(schema),
        used_in=tuple(_users(provider, name, where, page)),
    )


# --- provider landing page -----------------------------------------------------------------------------
def _start_method(provider: Provider) -> Method:
    """The getting-started example: the first read that needs credentials, else the first method."""
    reads = [m for m in provider.methods if m.http_method == "GET"]
    return next((m for m in reads if m.auth), reads[0] if reads else provider.methods[0])


def _sections(provider: Provider, where: Layout, page: str) -> tuple[Section, ...]:
    return tuple(
        Section(
            group.name,
            tuple(
                Entry(
                    link(m.title, relative(page, where.method_page(m))) + f" ({code(m.name)})",
                    md(m.description),
                )
                for m in group.methods
            ),
        )
        for group in provider.groups
        if group.methods
    )


def provider_page(provider: Provider, where: Layout) -> ProviderPage:
    page = f"{where.folder}/{INDEX}"
    meta = front_matter(
        [
            ("sidebar_position", 0),
            (
                "description",
                f"The {provider.title} API in Python and on the command line: clients, CLI and methods.",
            ),
            ("keywords", [provider.title, provider.alias]),
        ]
    )
    inputs = Table(
        ("Client argument", "CLI option", "Environment variable", "Secret", "Description"),
        tuple(
            (
                code(i.name, cell=True),
                code("--" + i.option, cell=True),
                code(i.env, cell=True),
                CHECK if i.secret else CROSS,
                md_cell(i.description),
            )
            for i in provider.client_inputs
        ),
    )
    environments = Table(
        ("Environment", "Base URL", "Default", "Description"),
        tuple(
            (code(e.name, cell=True), md_cell(e.url), CHECK if e.default else CROSS, md_cell(e.description))
            for e in provider.environments
        ),
    )
    choice = environment_choice(provider)
    hint = None
    if choice is not None:
        cli_value = "true" if choice.kind == "boolean" else str(choice.value)
        python = code(f"Client({choice.keyword}={choice.python})")
        hint = (
            f"To use the {code(choice.environment)} environment, pass {python} in Python and "
            f"{code(f'--{choice.option} {cli_value}')} on the command line."
        )
    start = _start_method(provider)
    return ProviderPage(
        front_matter=meta,
        title=provider.title,
        description=provider.description,
        docs_link=link(provider.docs_url, provider.docs_url),
        credentials=provider.credentials,
        inputs=inputs,
        environments=environments,
        environment_hint=hint,
        base_url_env=provider.base_url_env,
        start=method_page(provider, start, where),
        start_link=link(start.title, relative(page, where.method_page(start))),
        sections=_sections(provider, where, page),
        errors_model=model_link(provider.errors.model, where.models),
        error_answers=Table(
            ("HTTP status", "Kind"),
            tuple(
                (str(a.status), md_cell(kind.replace("_", " ")))
                for kind, a in provider.errors.answers.items()
            ),
        ),
        errata=tuple(md(e) for e in (*provider.errata, *provider.errors.errata)),
    )


# --- renderers -----------------------------------------------------------------------------------------
def render(template: str, page: object) -> str:
    return tidy(render_template(template, page=page))


def render_provider_docs(provider: Provider) -> dict[str, str]:
    """Every page of one provider (its own `_category_.json` needs the other providers: see the index)."""
    where = layout(provider)
    base = f"{DOCS}/{where.folder}"
    files = {f"{base}/{INDEX}": render("docs/provider.md.j2", provider_page(provider, where))}
    for group in provider.groups:
        files[f"{base}/{where.groups[group.name]}/_category_.json"] = category(group.name, group.position)
        for method in group.methods:
            page = method_page(provider, method, where)
            files[f"{DOCS}/{where.method_page(method)}"] = render("docs/method.md.j2", page)
    files[f"{base}/{where.models}/_category_.json"] = category(
        where.models.replace("-", " "), len(provider.groups) + 1
    )
    for position, name in enumerate(documented_models(provider), start=1):
        files[f"{DOCS}/{where.model_page(name)}"] = render(
            "docs/model.md.j2", model_page(provider, name, position, where)
        )
    return files


def render_docs_index(providers: list[Provider]) -> dict[str, str]:
    """The docs index and each provider folder's `_category_.json` (positions follow the index)."""
    files: dict[str, str] = {}
    rows = []
    entries = []
    for position, provider in enumerate(providers, start=1):
        where = layout(provider)
        files[f"{DOCS}/{provider_folder(provider)}/_category_.json"] = category(provider.title, position)
        rows.append(
            (
                link(provider.title, f"{where.folder}/{INDEX}", cell=True),
                code(provider.alias, cell=True),
                code(f"opi.{provider.alias}", cell=True),
                md_cell(provider.description),
            )
        )
        entries.append(
            ProviderEntry(link(provider.title, f"{where.folder}/{INDEX}"), _sections(provider, where, INDEX))
        )
    meta = front_matter(
        [
            ("sidebar_position", 0),
            (
                "description",
                "Python clients and the opi command for " + ", ".join(p.title for p in providers) + ".",
            ),
            ("keywords", ["opi", *(p.title for p in providers)]),
        ]
    )
    table = Table(("Provider", "CLI", "Python package", "Description"), tuple(rows))
    files[f"{DOCS}/{INDEX}"] = render("docs/index.md.j2", IndexPage(meta, table, tuple(entries)))
    return files
