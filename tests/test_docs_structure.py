"""The generated docs, parsed with markdown-it-py and checked against the specs for every provider."""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath

import pytest
from docs_support import (
    Page,
    changed_by_formatting,
    codes,
    one_line,
    plain,
    render_docs,
    spec_docs,
    spec_providers,
)

from generator.ir import Method, Provider
from generator.names import slug

PROVIDERS = list(spec_providers())
METHODS = [(p, m) for p in PROVIDERS for m in p.methods]
PARAMETER_HEADER = ["Parameter", "CLI option", "Type", "Required", "Description"]
FIELD_HEADER = ["Field", "Type", "Required", "Constraints", "Description"]


def folder(provider: Provider) -> str:
    return f"docs/{provider.docs_folder}"


def test_docs_folders_are_title_slugs_and_distinct() -> None:
    """A provider's folder is its title's slug; only a title another spec also has adds the alias."""
    for provider in PROVIDERS:
        titled = [p for p in PROVIDERS if slug(p.title).lower() == slug(provider.title).lower()]
        first = min(titled, key=lambda p: p.alias)
        expected = slug(provider.title) if provider is first else f"{slug(provider.title)}-{provider.alias}"
        assert provider.docs_folder == expected
    assert len({p.docs_folder.lower() for p in PROVIDERS}) == len(PROVIDERS)


def method_path(provider: Provider, method: Method) -> str:
    group = next(g for g in provider.groups if g.name == method.group)
    return f"{folder(provider)}/{group.slug}/{method.slug}.md"


def expected_rows(provider: Provider, method: Method) -> list[tuple[str, str, bool]]:
    """(name, CLI option, required) of every table row: credentials, parameters, environment choice."""
    schemes = {s.name: s for s in provider.schemes}
    rows: list[tuple[str, str, bool]] = []
    names: list[str] = []
    for alternative in method.auth:
        names += [n for n in alternative if n not in names]
    for name in names:
        needed = all(name in alt for alt in method.auth)
        rows += [(i.name, i.option, needed) for i in schemes[name].inputs]
    rows += [(p.py_name, p.option, p.required) for p in method.parameters if not p.is_const]
    if provider.environment_flag is not None:
        rows.append((provider.environment_flag.name, provider.environment_flag.option, False))
    elif len(provider.environments) > 1:
        rows.append(("environment", "environment", False))
    return rows


def ids(item: tuple[Provider, Method]) -> str:
    return f"{item[0].alias}.{item[1].name}"


def test_every_method_and_model_has_a_page() -> None:
    files = spec_docs()
    for provider in PROVIDERS:
        for method in provider.methods:
            assert method_path(provider, method) in files
        internal = {m.params_model for m in provider.methods}
        for name in provider.schemas:
            assert (f"{folder(provider)}/Models/{name}.md" in files) is (name not in internal), name
        assert f"{folder(provider)}/index.md" in files
    assert "docs/index.md" in files


@pytest.mark.parametrize("item", METHODS, ids=[ids(i) for i in METHODS])
def test_method_page(item: tuple[Provider, Method]) -> None:
    provider, method = item
    page = Page.parse(spec_docs()[method_path(provider, method)])

    assert page.meta["sidebar_position"] == method.position
    assert method.name in page.meta["description"] and provider.title in page.meta["description"]
    assert provider.title in page.meta["keywords"]
    assert "import Tabs from '@theme/Tabs';" in page.body
    assert "import TabItem from '@theme/TabItem';" in page.body

    assert page.headings(1) == [method.title]
    paragraphs = page.paragraphs()
    texts = [plain(p) for p in paragraphs]
    assert one_line(method.description) in texts

    signature = [c for p in paragraphs for c in codes(p) if c.startswith(f"client.{method.py_name}(")]
    assert len(signature) == 1
    for p in method.parameters:
        assert (f"{p.py_name}: " in signature[0]) is not p.is_const
    assert signature[0].endswith(f"-> {method.success.python or method.success.model or 'Any'}")

    tables = page.tables()
    params = tables[0]
    assert params.header == PARAMETER_HEADER
    rows = expected_rows(provider, method)
    assert len(params.rows) == len(rows)
    for cells, text, (name, option, required) in zip(params.rows, params.texts, rows, strict=True):
        assert codes(cells[0]) == [name]
        assert codes(cells[1]) == [f"--{option}"]
        assert text[3].startswith("✔" if required else "✖")
        assert text[4].strip()
    for p in method.parameters:
        if p.has_default and not p.is_const:
            row = next(t for t in params.texts if t[0] == f"`{p.py_name}`")
            assert "default" in row[3]
        if p.type.model and not p.is_const:
            row_tokens = next(
                c for c, t in zip(params.rows, params.texts, strict=True) if t[0] == f"`{p.py_name}`"
            )
            hrefs = [str(c.attrs["href"]) for c in row_tokens[2].children or [] if c.type == "link_open"]
            assert hrefs == [f"../Models/{p.type.model}.md"]
        for value in p.type.enum:
            row = next(t for t in params.texts if t[0] == f"`{p.py_name}`")
            assert f"`{value}`" in row[4]

    returns = next(t for t in texts if t.startswith("Returns:"))
    success = method.success
    # An array's fields are its items' (the model its annotation names); a file, text or nothing has none.
    shown_model = (next((n for n in re.findall(r"\w+", success.python) if n in provider.schemas), None)
                   if success.python else success.model)
    if shown_model:
        assert shown_model in returns
        schema = provider.schemas[shown_model]
        fields = next(t for t in tables if t.header == FIELD_HEADER)
        names = [row[0].strip("`") for row in fields.texts]
        assert [n for n in names if "." not in n] == list(schema.get("properties", {}))

    tip = page.body.split(":::tip\n", 1)[1].split("\n:::\n", 1)[0]
    tip_page = Page.fragment(tip)
    tip_texts = [plain(p) for p in tip_page.paragraphs()]
    for note in method.notes:
        assert one_line(note) in tip_texts
    for erratum in method.errata:
        assert f"Differs from the provider's page: {one_line(erratum)}" in tip_texts
    assert tip_texts[-1] == f"Method at API documentation: {method.doc_title}"
    assert tip_page.links()[-1] == method.doc_url

    [python] = page.fence('python title="Code example"')
    compile(python, "example", "exec")
    assert f"client.{method.py_name}(" in python
    assert f"from opi.{provider.alias} import Client" in python
    [bash] = page.fence('bash title="CLI command example"')
    [batch] = page.fence('batch title="CLI command example"')
    assert f"opi {provider.alias} {method.name}" in bash and f"opi {provider.alias} {method.name}" in batch
    html = "".join(page.html())
    assert "<Tabs>" in html and '<TabItem value="bash"' in html and '<TabItem value="batch"' in html

    if success.content != "json":  # a file, text or no body: a text block
        [result] = page.fence('text title="Result"')
        assert result.strip()
        return
    [result] = page.fence('json title="Result"')
    assert result.strip()
    assert json.loads(result) == success.example


@pytest.mark.parametrize("item", METHODS, ids=[ids(i) for i in METHODS])
def test_examples_never_show_a_whole_secret(item: tuple[Provider, Method]) -> None:
    provider, method = item
    source = spec_docs()[method_path(provider, method)]
    page = Page.parse(source)
    secrets = [i.example for i in provider.client_inputs if i.secret and i.example]
    secrets += [str(p.example) for p in method.parameters if p.secret and p.has_example]
    for secret in secrets:
        if not secret.endswith("..."):
            assert secret not in source
    [bash] = page.fence('bash title="CLI command example"')
    for i in provider.inputs:
        if i.secret and f"--{i.option} " in bash:
            assert f'--{i.option} "***"' in bash
            assert f"# export {i.env}=" in bash


def test_model_pages() -> None:
    files = spec_docs()
    for provider in PROVIDERS:
        internal = {m.params_model for m in provider.methods}
        models = sorted(n for n in provider.schemas if n not in internal)
        for position, name in enumerate(models, start=1):
            page = Page.parse(files[f"{folder(provider)}/Models/{name}.md"])
            schema = provider.schemas[name]
            assert page.headings(1) == [name]
            assert page.meta["sidebar_position"] == position
            if "properties" in schema:
                [table] = page.tables()
                assert table.header == FIELD_HEADER
                names = [row[0].strip("`") for row in table.texts if "." not in row[0]]
                assert names == list(schema["properties"])
                required = set(schema.get("required", ()))
                for row in table.texts:
                    if row[0].strip("`") in schema["properties"]:
                        assert row[2] == ("✔" if row[0].strip("`") in required else "✖")


def test_categories_follow_spec_order() -> None:
    files = spec_docs()
    for position, provider in enumerate(PROVIDERS, start=1):
        assert json.loads(files[f"{folder(provider)}/_category_.json"]) == {
            "label": provider.title,
            "position": position,
        }
        for group in provider.groups:
            category = json.loads(files[f"{folder(provider)}/{group.slug}/_category_.json"])
            assert category == {"label": group.name, "position": group.position}
            pages = [Page.parse(files[method_path(provider, m)]) for m in group.methods]
            assert [p.meta["sidebar_position"] for p in pages] == list(range(1, len(group.methods) + 1))
        models = json.loads(files[f"{folder(provider)}/Models/_category_.json"])
        assert models == {"label": "Models", "position": len(provider.groups) + 1}


def test_landing_pages() -> None:
    files = spec_docs()
    for provider in PROVIDERS:
        page = Page.parse(files[f"{folder(provider)}/index.md"])
        assert page.headings(1) == [provider.title]
        assert page.headings(2)[:5] == ["Credentials", "Environments", "Getting started", "Methods", "Errors"]
        texts = [plain(p) for p in page.paragraphs()]
        assert one_line(provider.description) in texts
        if provider.credentials:
            assert one_line(provider.credentials) in texts
        credentials, environments = page.tables()[:2]
        assert [codes(r[0]) for r in credentials.rows] == [[i.name] for i in provider.client_inputs]
        assert [codes(r[2]) for r in credentials.rows] == [[i.env] for i in provider.client_inputs]
        assert [codes(r[0]) for r in environments.rows] == [[e.name] for e in provider.environments]
        assert [t[1] for t in environments.texts] == [e.url for e in provider.environments]
        assert any(provider.base_url_env in t for t in texts)
        assert len(page.fence('python title="Code example"')) == 1
        assert len(page.fence('bash title="CLI command example"')) == 1
        [result] = page.fence('json title="Result"')
        assert json.loads(result)
        listed = [h for h in page.links() if not h.startswith("http")]
        for method in provider.methods:
            assert method_path(provider, method).removeprefix(folder(provider) + "/") in listed


def test_index_lists_every_provider_and_method() -> None:
    page = Page.parse(spec_docs()["docs/index.md"])
    [table] = page.tables()
    assert [t[0] for t in table.texts] == [p.title for p in PROVIDERS]
    links = page.links()
    for provider in PROVIDERS:
        assert f"{provider.docs_folder}/index.md" in links
        for method in provider.methods:
            assert method_path(provider, method).removeprefix("docs/") in links


def test_relative_links_resolve() -> None:
    files = spec_docs()
    for path, source in files.items():
        if not path.endswith(".md"):
            continue
        for href in Page.parse(source).links():
            if href.startswith(("http://", "https://")):
                continue
            target = PurePosixPath(path).parent / href
            parts: list[str] = []
            for part in target.parts:
                if part == "..":
                    parts.pop()
                else:
                    parts.append(part)
            assert "/".join(parts) in files, f"{path}: broken link {href}"


def test_regenerating_gives_identical_docs() -> None:
    again = render_docs(list(spec_providers()))
    assert again == spec_docs()
    assert all(text.endswith("\n") and not text.endswith("\n\n") for text in again.values())


def test_formatting_leaves_the_docs_as_rendered(tmp_path: Path) -> None:
    # The pipeline runs ruff over the output; the examples are laid out so it changes nothing, which keeps
    # the pages these tests read identical to the ones written under generated/docs.
    assert changed_by_formatting(spec_docs(), tmp_path) == []
