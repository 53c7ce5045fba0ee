"""Rendering the docs in memory and reading them back with a real Markdown parser (markdown-it-py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from provider_support import ROOT
from provider_support import providers as spec_providers

from generator.ir import Provider
from generator.pipeline import format_tree
from generator.render.docs import render_docs_index, render_provider_docs
from generator.render.package import render_package

__all__ = ["ROOT", "spec_providers"]
_PARSER = MarkdownIt("commonmark").enable("table")


def changed_by_formatting(files: dict[str, str], directory: Path) -> list[str]:
    """Pages the pipeline's formatting step (ruff, which also formats Markdown code blocks) would change."""
    config = render_package(list(spec_providers()))["pyproject.toml"]
    (directory / "pyproject.toml").write_text(config, encoding="utf-8")
    for path, text in files.items():
        target = directory / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    format_tree(directory)
    return sorted(
        path for path, text in files.items() if (directory / path).read_text(encoding="utf-8") != text
    )


def render_docs(providers: list[Provider]) -> dict[str, str]:
    files: dict[str, str] = {}
    for provider in providers:
        files.update(render_provider_docs(provider))
    files.update(render_docs_index(providers))
    return files


@cache
def spec_docs() -> dict[str, str]:
    return render_docs(list(spec_providers()))


@dataclass
class Table:
    header: list[str]
    rows: list[list[Token]]  # the inline token of every cell
    texts: list[list[str]] = field(default_factory=list)


@dataclass
class Page:
    """A parsed page: front matter, token stream and the pieces the tests look at."""

    source: str
    meta: dict[str, Any]
    body: str
    tokens: list[Token]

    @classmethod
    def parse(cls, source: str) -> Page:
        assert source.startswith("---\n"), "a page starts with front matter"
        end = source.index("\n---\n", 3)
        meta = yaml.safe_load(source[4:end]) or {}
        body = source[end + 5 :]
        return cls(source, meta, body, _PARSER.parse(body))

    @classmethod
    def fragment(cls, body: str) -> Page:
        """A piece of a page without front matter (the inside of an admonition)."""
        return cls(body, {}, body, _PARSER.parse(body))

    def headings(self, level: int) -> list[str]:
        tag = f"h{level}"
        return [
            plain(self.tokens[i + 1])
            for i, t in enumerate(self.tokens)
            if t.type == "heading_open" and t.tag == tag
        ]

    def paragraphs(self) -> list[Token]:
        """The inline token of every paragraph (tight list items included)."""
        return [self.tokens[i + 1] for i, t in enumerate(self.tokens) if t.type == "paragraph_open"]

    def fences(self) -> list[Token]:
        return [t for t in self.tokens if t.type == "fence"]

    def fence(self, info: str) -> list[str]:
        return [t.content for t in self.fences() if t.info == info]

    def tables(self) -> list[Table]:
        out: list[Table] = []
        current: Table | None = None
        row: list[Token] = []
        in_head = False
        for i, t in enumerate(self.tokens):
            if t.type == "table_open":
                current = Table([], [])
            elif t.type == "thead_open":
                in_head = True
            elif t.type == "thead_close":
                in_head = False
            elif t.type == "tr_open":
                row = []
            elif t.type in ("th_open", "td_open"):
                row.append(self.tokens[i + 1])
            elif t.type == "tr_close" and current is not None:
                if in_head:
                    current.header = [plain(c) for c in row]
                else:
                    current.rows.append(row)
                    current.texts.append([plain(c) for c in row])
            elif t.type == "table_close" and current is not None:
                out.append(current)
                current = None
        return out

    def html(self) -> list[str]:
        return [t.content for t in self.tokens if t.type == "html_block"]

    def links(self) -> list[str]:
        found: list[str] = []
        for t in self.tokens:
            for child in t.children or []:
                if child.type == "link_open":
                    found.append(str(child.attrs["href"]))
        return found


def plain(inline: Token) -> str:
    """The text a reader sees: escapes resolved, code spans with their backticks, <br/> as a newline."""
    parts: list[str] = []
    for child in inline.children or []:
        if child.type == "text":
            parts.append(child.content)
        elif child.type == "code_inline":
            parts.append(child.markup + child.content + child.markup)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "html_inline" and re.fullmatch(r"<br\s*/?>", child.content):
            parts.append("\n")
        elif child.type == "html_inline":
            parts.append(child.content)
    return "".join(parts)


def codes(inline: Token) -> list[str]:
    """The content of every code span of an inline token."""
    return [c.content for c in inline.children or [] if c.type == "code_inline"]


def one_line(text: str) -> str:
    return " ".join(str(text).split())
