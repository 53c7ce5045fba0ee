"""The one Jinja2 environment every renderer uses, with the few filters templates may call."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .mdx import md, md_cell
from .pycode import pycode

if TYPE_CHECKING:
    import jinja2

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"


def pyrepr(value: Any) -> str:
    """A Python literal for a JSON-like value (strings via repr, so quotes and newlines stay data)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{pyrepr(k)}: {pyrepr(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(pyrepr(v) for v in value) + "]"
    return repr(value)


def docstring(text: str) -> str:
    """Text safe inside a triple-quoted docstring: no closing quotes, escapes, tabs or trailing blanks."""
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    return escape_unprintable(doc_lines(text).strip())


def escape_unprintable(code: str) -> str:
    """Python source with every invisible or direction-changing character (U+202E...) as an escape.

    Only valid where such characters can occur at all: in string literals and docstrings (not raw ones),
    where the escape means the same character, and in comments, where it is shown instead of acting.
    """
    return "".join(c if c.isprintable() or c == "\n" else c.encode("unicode_escape").decode("ascii") for c in code)


def doc_lines(text: str) -> str:
    """Lines as Python source keeps them: every line break a newline, tabs as spaces, no trailing blanks."""
    return "\n".join(line.replace("\t", "    ").rstrip() for line in text.splitlines())


def comment(text: str) -> str:
    """Text safe on one comment line."""
    return " ".join(text.split())


def to_json(value: Any, indent: int | None = None) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent, sort_keys=False)


@cache
def environment() -> jinja2.Environment:
    import jinja2  # here, not at the top: the no-op check hashes the templates without Jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        pyrepr=pyrepr,
        pycode=pycode,  # a runtime record (render/records.py) as Python source
        docstring=docstring,
        comment=comment,
        to_json=to_json,
        md=md,
        md_cell=md_cell,
    )
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def templates_digest() -> str:
    """Hash of every template, so the incremental writer notices template edits."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(TEMPLATES.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(TEMPLATES).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
