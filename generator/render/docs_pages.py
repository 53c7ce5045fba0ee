"""The docs' page view-models: every name, path, position and escaped cell a docs template lays out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .docs_types import FieldRow


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
    paging: Any = None  # a paginated method's docs_paging.PagingDoc
    more_results: tuple[CodeBlock, ...] = ()  # the response's named examples, one block each
    rules: tuple[str, ...] = ()  # rules across parameters, one sentence each (docs_failures.py)
    in_success: str | None = None  # how a failed call shows in a success answer (docs_failures.py)


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
    variants: tuple[str, ...] = ()  # a union model's members, each with the discriminator value selecting it
    parts: str = ""  # an allOf model: the models whose fields it includes


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
    webhooks: str = ""  # the Webhooks section (Markdown), when the spec declares webhooks
    signing: str = ""  # the Request signing section (Markdown), when a scheme signs requests
    login: str = ""  # the Logging in section (Markdown), when the spec declares OAuth user flows


@dataclass(frozen=True)
class ProviderEntry:
    link: str
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class IndexPage:
    front_matter: str
    table: Table
    providers: tuple[ProviderEntry, ...]
