"""Where every docs page of a provider lives: folder and file names, positions, relative links.

Folders are slugs (`Orders-management`, not `Orders management`) so Docusaurus URLs carry no `%20`; the
labels keep the spec's words in each folder's `_category_.json`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from ..ir import Method, Provider
from .mdx import one_line

MODELS_LABEL = "Models"
INDEX = "index.md"

# YAML (and so front matter) rejects these characters even inside a quoted string.
_NOT_YAML_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Layout:
    """Paths relative to the docs root (`generated/docs/`)."""

    folder: str  # the provider's folder
    models: str  # the models folder inside it
    groups: dict[str, str]  # group name -> folder inside the provider's
    methods: dict[str, str]  # method name -> page path inside the provider's folder

    def method_page(self, method: Method) -> str:
        return f"{self.folder}/{self.methods[method.name]}"

    def model_page(self, name: str) -> str:
        return f"{self.folder}/{self.models}/{name}.md"

    def models_from(self, page: str) -> str:
        """The models folder as a link from `page`."""
        return relative(page, self.model_page("_")).rsplit("/", 1)[0]


def provider_folder(provider: Provider) -> str:
    return provider.docs_folder


def layout(provider: Provider) -> Layout:
    groups = {g.name: g.slug or f"Group-{g.position}" for g in provider.groups}
    taken = {folder.lower() for folder in groups.values()}
    models = MODELS_LABEL
    while models.lower() in taken:  # a group may be called "Models" too
        models = "Data-" + models
    methods: dict[str, str] = {}
    used: set[str] = set()
    for group in provider.groups:
        for method in group.methods:
            name = method.slug or method.name
            if f"{group.name}/{name}".lower() in used:  # titles that differ only in punctuation
                name = f"{name}-{method.name}"
            used.add(f"{group.name}/{name}".lower())
            methods[method.name] = f"{groups[group.name]}/{name}.md"
    return Layout(provider_folder(provider), models, groups, methods)


def relative(source: str, target: str) -> str:
    """The link from page `source` to page `target`, both relative to the docs root."""
    up = source.count("/")
    common = 0
    src_parts, tgt_parts = source.split("/")[:-1], target.split("/")
    while common < len(src_parts) and common < len(tgt_parts) - 1 and src_parts[common] == tgt_parts[common]:
        common += 1
    return "../" * (up - common) + "/".join(tgt_parts[common:])


def yaml_value(value: Any) -> str:
    """A front matter value on one line: JSON is valid YAML; characters YAML cannot hold are escaped."""
    if isinstance(value, list):
        value = [one_line(v) if isinstance(v, str) else v for v in value]
    elif isinstance(value, str):
        value = one_line(value)
    text = json.dumps(value, ensure_ascii=False)
    return _NOT_YAML_PRINTABLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def front_matter(fields: list[tuple[str, Any]]) -> str:
    return "\n".join(["---", *(f"{key}: {yaml_value(value)}" for key, value in fields), "---"])


def category(label: str, position: int) -> str:
    return json.dumps({"label": label, "position": position}, ensure_ascii=False, indent=2) + "\n"
