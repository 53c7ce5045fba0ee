"""Hostile spec text (pipes, JSX, MDX braces, backticks, fences, newlines, block markers) cannot break a page.

A synthetic spec puts such text in every text field and example; the pages must parse, keep their tables'
columns, show every text exactly, hold no raw `{`, `}`, `<`, `>` outside code, and their examples must still
pass exactly the spec's values.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest
import yaml
from docs_support import Page, changed_by_formatting, codes, one_line, plain, render_docs
from hypothesis import given
from hypothesis import strategies as st

from generator.ir import Provider
from generator.pipeline import load_providers
from generator.render.mdx import md, md_cell

CORE = (
    "pipe | angle <b>x</b> </script> {{ jinja }} {expr} `code | span` ``` fence ` lone & &amp; \\ *s* _u_ "
    "[l](u) <br/> :name"
)
VARIANTS = [
    CORE,
    f"# heading\n\n{CORE}",
    f":::tip\n{CORE}\n:::",
    f"1. listed\n{CORE}",
    f"- item\n> quote\n{CORE}",
    f"<Tabs>\n{CORE}\n</Tabs>",
    f"import X from 'y';\n{CORE}",
    f"--- \n{CORE}\n---",
    f"  {CORE}\n\n\n    indented code?",
]


class _Texts:
    """Hands out the hostile variants in turn, so each field gets one and every variant is used."""

    def __init__(self) -> None:
        self.given: list[str] = []

    def __call__(self, prefix: str = "") -> str:
        text = prefix + VARIANTS[len(self.given) % len(VARIANTS)]
        self.given.append(text)
        return text


def hostile_spec(text: _Texts) -> dict[str, Any]:
    value = "x | y <z> {w} `v` ``` $HOME \"q\" 'a' \\ %PATH% ^ &"
    return {
        "format": 1,
        "provider": {
            "alias": "hostile",
            "title": text("Hostile "),
            "description": text(),
            "docs_url": "https://example.com/docs?a=1&b=(2)",
            "credentials": text(),
            "groups": [
                {"name": "Hostile group", "description": text()},
                {"name": "Models", "description": text()},
            ],
            "errata": [text(), text()],
        },
        "environments": [
            {"name": "production", "url": "https://example.com/api", "description": text(), "default": True},
            {"name": "sandbox", "url": "https://sandbox.example.com/api", "description": text()},
        ],
        "environment_flag": {"name": "sandbox", "description": text(), "environment": "sandbox"},
        "auth": {
            "schemes": {
                "bearer": {"type": "bearer", "token": {"description": text(), "example": value + "secret"}}
            },
            "require": [["bearer"]],
        },
        "errors": {
            "schema": {"$ref": "#/schemas/Problem"},
            "message": ["message"],
            "answers": {
                kind: {"status": status, "body": {"message": "{message}"}}
                for kind, status in (("unauthorized", 401), ("validation", 400), ("not_found", 404))
            },
            "errata": [text()],
        },
        "schemas": {
            "Problem": {
                "type": "object",
                "description": text(),
                "properties": {"message": {"type": "string", "description": text()}},
            },
            "Level": {
                "type": "string",
                "description": text(),
                "enum": ["low|high", "<mid>"],
                "x-enum-descriptions": [text(), text()],
                "maxLength": 8,
            },
            "Thing": {
                "type": "object",
                "description": text(),
                "required": ["kind"],
                "properties": {
                    "kind": {
                        "type": "string",
                        "description": text(),
                        "enum": ["a|b", "<c>", "{d}"],
                        "x-enum-descriptions": [text(), text(), text()],
                        "pattern": "^[a-d|<>{}]{1,3}$",
                    },
                    "nested": {
                        "type": "object",
                        "description": text(),
                        "properties": {"deep": {"type": "string", "maxLength": 5, "description": text()}},
                    },
                    "items": {"type": "array", "description": text(), "items": {"$ref": "#/schemas/Problem"}},
                    "level": {"$ref": "#/schemas/Level"},
                },
            },
        },
        "methods": [
            {
                "name": "DoThing",
                "title": text("Do thing "),
                "description": text(),
                "group": "Hostile group",
                "http": "POST /things/{thing_id}",
                "doc": {"title": text(), "url": "https://example.com/docs/do-thing?x=(1)"},
                "source": "hostile",
                "notes": [text(), text()],
                "errata": [text()],
                "idempotency": {"kind": "none", "note": text()},
                "body": {"content": "json", "model": "DoThingRequest"},
                "parameters": [
                    {
                        "name": "thing_id",
                        "in": "path",
                        "required": True,
                        "description": text(),
                        "schema": {"type": "string"},
                        "example": value,
                    },
                    {
                        "name": "label",
                        "in": "body",
                        "required": True,
                        "description": text(),
                        "schema": {
                            "type": "string",
                            "enum": ["a|b", "<c>", "{d}"],
                            "x-enum-descriptions": [text(), text(), text()],
                        },
                        "example": "<c>",
                    },
                    {
                        "name": "thing",
                        "in": "body",
                        "required": True,
                        "description": text(),
                        "schema": {"$ref": "#/schemas/Thing"},
                        "example": {"kind": "{d}", "nested": {"deep": "'\"`$"}},
                    },
                    {
                        "name": "note",
                        "in": "body",
                        "description": text(),
                        "schema": {"type": "string"},
                        "default": "a|b{c}",
                        "example": value + "\n```\nmore",
                    },
                    {
                        "name": "count",
                        "in": "query",
                        "description": text(),
                        "schema": {"type": "integer"},
                        "example": -3,
                    },
                    {
                        "name": "pin",
                        "in": "header",
                        "field": "X-Pin",
                        "secret": True,
                        "description": text(),
                        "schema": {"type": "string"},
                        "example": "1234567890abcdef",
                    },
                ],
                "responses": {
                    "200": {
                        "description": text(),
                        "schema": {"$ref": "#/schemas/Thing"},
                        "example": {
                            "kind": "a|b",
                            "nested": {"deep": "```"},
                            "items": [{"message": "</script>"}],
                        },
                    },
                    "400": {"description": text(), "example": {"message": text()}},
                },
            },
            {
                "name": "ListThings",
                "title": text("List things "),
                "description": text(),
                "group": "Models",
                "http": "GET /things",
                "doc": {"title": text(), "url": "https://example.com/docs/list"},
                "source": "hostile",
                "responses": {
                    "200": {
                        "description": text(),
                        "schema": {"$ref": "#/schemas/Problem"},
                        "example": {"message": text()},
                    }
                },
            },
        ],
    }


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Provider, dict[str, str], list[str]]:
    text = _Texts()
    spec = hostile_spec(text)
    path = Path(tmp_path_factory.mktemp("spec")) / "hostile.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    [provider] = load_providers([path])
    return provider, render_docs([provider]), text.given


def _pages(files: dict[str, str]) -> dict[str, Page]:
    return {path: Page.parse(source) for path, source in files.items() if path.endswith(".md")}


def _outside_code(body: str) -> str:
    """The page without fenced code, code spans, and the few JSX/HTML tags the generator itself writes."""
    lines, fence = [], None
    for line in body.splitlines():
        opened = re.match(r"^(`{3,})", line)
        if fence is None and opened:
            fence = opened.group(1)
        elif fence is not None and line == fence:
            fence = None
        elif fence is None and not line.startswith("import "):
            lines.append(line)
    text = "\n".join(lines)
    text = re.sub(r"(?<![`\\])(`+)(?!`).+?(?<!`)\1(?!`)", "", text)
    return re.sub(r"<br/>|</?Tabs>|<TabItem [^>]*>|</TabItem>", "", text)


def _cells(line: str) -> int:
    """Cells of a table line: pipes not escaped by a backslash separate them."""
    count, i = 0, 0
    while i < len(line):
        if line[i] == "\\":
            i += 2
            continue
        count += line[i] == "|"
        i += 1
    return count - 1


def test_every_page_parses_and_tables_keep_their_columns(
    hostile: tuple[Provider, dict[str, str], list[str]],
) -> None:
    _, files, _ = hostile
    pages = _pages(files)
    assert len(pages) >= 5
    for path, page in pages.items():
        lines = page.body.splitlines()
        for i, line in enumerate(lines):
            if line.startswith("|-"):
                width = _cells(lines[i - 1])
                j = i + 1
                while j < len(lines) and lines[j].startswith("|"):
                    assert _cells(lines[j]) == width, f"{path}: {lines[j]}"
                    j += 1
        for table in page.tables():
            assert all(len(row) == len(table.header) for row in table.texts)


def test_no_raw_jsx_or_expression_outside_code(hostile: tuple[Provider, dict[str, str], list[str]]) -> None:
    _, files, _ = hostile
    for path, page in _pages(files).items():
        rest = _outside_code(page.body)
        raw = re.findall(r"(?<!\\)[{}<>]", rest)
        assert not raw, f"{path}: raw {raw} in {rest!r}"
        # Spec text opens no block of its own: no quote, ordered list, rule, indented code or admonition.
        assert not [
            t.type
            for t in page.tokens
            if t.type in ("blockquote_open", "ordered_list_open", "hr", "code_block")
        ], path
        assert [line for line in page.body.splitlines() if line.startswith(":::")] in ([], [":::tip", ":::"])
        assert len(page.headings(1)) == 1
        # MDX runs a line starting with import/export as JavaScript: only the generator's own imports may.
        esm = [line for line in page.body.splitlines() if re.match(r"(import|export)\b", line)]
        assert esm in ([], ["import Tabs from '@theme/Tabs';", "import TabItem from '@theme/TabItem';"]), path
        assert not [h for level in (1, 2, 3) for h in page.headings(level) if h.startswith("heading")]
        assert not [
            plain(t) for t in page.tokens if t.type == "inline" and plain(t).startswith(("item", "listed"))
        ]


def test_every_text_is_shown_exactly(hostile: tuple[Provider, dict[str, str], list[str]]) -> None:
    _, files, given = hostile
    shown: set[str] = set()
    for page in _pages(files).values():
        shown.update(one_line(plain(p)) for p in page.paragraphs())
        shown.update(plain(t) for t in page.tokens if t.type == "inline")
        for table in page.tables():
            for row in table.texts:
                for cell in row:
                    shown.update(one_line(part) for part in cell.split("\n"))
        shown.update(one_line(h) for level in (1, 2, 3) for h in page.headings(level))
    shown_text = "\n".join(shown)
    for text in given:
        assert one_line(text) in shown_text, text


def test_values_are_shown_exactly(hostile: tuple[Provider, dict[str, str], list[str]]) -> None:
    _, files, _ = hostile
    pages = _pages(files)
    [level] = [p for path, p in pages.items() if path.endswith("/Level.md")]
    shown = [c for t in level.tokens if t.type == "inline" for c in codes(t)]
    assert "low|high" in shown and "<mid>" in shown
    [thing] = [p for path, p in pages.items() if path.endswith("/Thing.md")]
    cells = [c for row in thing.tables()[0].rows for cell in row for c in codes(cell)]
    assert {"a|b", "<c>", "{d}", "^[a-d|<>{}]{1,3}$"} <= set(cells)


def test_front_matter_holds_hostile_text(hostile: tuple[Provider, dict[str, str], list[str]]) -> None:
    provider, files, _ = hostile
    method = provider.methods[0]
    pages = [p for p in _pages(files).values() if method.name in p.meta.get("keywords", ())]
    [page] = pages
    assert one_line(method.description).rstrip(". ") in page.meta["description"]
    assert page.meta["keywords"][3] == one_line(method.title)


def _method_page(files: dict[str, str]) -> Page:
    return next(p for p in _pages(files).values() if "DoThing" in p.meta.get("keywords", ()))


def test_python_example_passes_exactly_the_spec_values(
    hostile: tuple[Provider, dict[str, str], list[str]],
) -> None:
    provider, files, _ = hostile
    [code] = _method_page(files).fence('python title="Code example"')
    seen: dict[str, Any] = {}

    class Client:
        def __init__(self, **kwargs: Any) -> None:
            seen["client"] = kwargs

        def __enter__(self) -> Client:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def do_thing(self, **kwargs: Any) -> Any:
            seen["call"] = kwargs
            return types.SimpleNamespace(to_json_dict=dict)

    module = types.ModuleType("opi.hostile")
    module.Client = Client  # type: ignore[attr-defined]
    saved = {name: sys.modules.get(name) for name in ("opi", "opi.hostile")}
    sys.modules["opi"], sys.modules["opi.hostile"] = types.ModuleType("opi"), module
    try:
        exec(compile(code, "example", "exec"), {})
    finally:
        for name, old in saved.items():
            if old is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = old
    method = provider.methods[0]
    expected = {p.py_name: p.example for p in method.parameters if p.has_example and not p.secret}
    assert {k: v for k, v in seen["call"].items() if k != "pin"} == expected
    assert seen["call"]["pin"].endswith("...") and seen["call"]["pin"] != "1234567890abcdef"
    assert seen["client"]["sandbox"] is True
    assert seen["client"]["token"].endswith("...")


def test_bash_example_passes_exactly_the_spec_values(
    hostile: tuple[Provider, dict[str, str], list[str]],
) -> None:
    provider, files, _ = hostile
    [bash] = _method_page(files).fence('bash title="CLI command example"')
    # `opi` replaced by a function that prints its arguments as JSON: quoting is checked by bash itself.
    script = 'opi() { python3 -c "import json,sys; print(json.dumps(sys.argv[1:]))" "$@"; }\n' + bash
    out = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, timeout=30, check=True
    ).stdout
    args = json.loads(out)
    method = provider.methods[0]
    assert args[:2] == ["hostile", method.name]
    given = dict(zip(args[2::2], args[3::2], strict=True))
    for p in method.parameters:
        if p.has_example and not p.secret:
            value = given[f"--{p.option}"]
            assert (json.loads(value) if p.type.cli == "json" else value) == (
                p.example if p.type.cli in ("string", "json") else str(p.example)
            )
    assert given["--token"] == given["--pin"] == "***"
    assert given["--sandbox"] == "true"


def test_formatting_leaves_hostile_examples_alone(
    hostile: tuple[Provider, dict[str, str], list[str]], tmp_path: Path
) -> None:
    _, files, _ = hostile
    assert changed_by_formatting(files, tmp_path) == []


_HOSTILE_CHARS = st.text(alphabet=st.sampled_from(list("ab |<>{}`\\&*_[]()#:-!~=+.1\n\t'\"$^%")), max_size=40)


def _round_trip(markdown: str, table: bool) -> str:
    source = f"| h |\n|-|\n| {markdown} |\n" if table else f"p {markdown}\n"
    page = Page.fragment(source)
    if table:
        [[cell]] = page.tables()[0].texts
        return cell
    return plain(page.paragraphs()[0])[2:]


@given(_HOSTILE_CHARS)
def test_escaped_text_reads_back_as_written(text: str) -> None:
    expected = one_line(text)
    for escape, table in ((md, False), (md_cell, True)):
        escaped = escape(text)
        assert "\n" not in escaped
        shown = _round_trip(escaped, table)
        # CommonMark trims one space inside a code span padded on both sides; nothing else may change.
        assert re.sub(r"` (.*?) `", r"`\1`", shown) == re.sub(r"` (.*?) `", r"`\1`", expected), escaped
        assert not re.search(r"(?<!\\)[{}<>]", re.sub(r"(`+)(?!`).+?(?<!`)\1(?!`)", "", escaped))
