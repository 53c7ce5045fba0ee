"""OPI-style Docusaurus docs: a page per method and per model, a landing page per provider, one index.

Pages are built as view-models (`docs_pages`) that hold every name, path, position and escaped cell;
templates in `templates/docs/` only lay them out. Method pages are built in `docs_method`.
"""

from __future__ import annotations

from ..ir import JsonSchema, Method, Provider
from .docs_examples import environment_choice
from .docs_layout import INDEX, Layout, category, front_matter, layout, provider_folder, relative
from .docs_login import login_section
from .docs_method import method_page
from .docs_pages import Entry, IndexPage, ModelPage, ProviderEntry, ProviderPage, Section, Table
from .docs_signing import landing_section as signing_section
from .docs_types import (
    CHECK,
    CROSS,
    constraints_md,
    field_rows,
    merged,
    model_link,
    refs,
    schema_type_md,
    value_text,
)
from .docs_unions import parts_line, variant_lines
from .docs_webhooks import landing_section
from .env import render as render_template
from .mdx import code, link, md, md_cell, tidy

DOCS = "docs"


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
    parts = parts_line(schema)
    schema = merged(schema, provider.schemas)
    members = variant_lines(provider, name)
    is_object = schema.get("type") == "object" or "properties" in schema
    return ModelPage(
        variants=members,
        parts=parts,
        front_matter=meta,
        name=name,
        description=description,
        fields=tuple(field_rows(schema, "", provider.schemas)) if is_object else (),
        kind=None if is_object or members else schema_type_md(schema, ""),
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
        webhooks=landing_section(provider, where),
        signing=signing_section(provider),
        login=login_section(provider),
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
