"""Stage 1, load: YAML text -> plain data, remembering where every node stands in the file.

Only the YAML a spec needs is accepted: no aliases (they make "billion laughs" documents possible),
no duplicate keys, no tags beyond the plain scalars, bounded size and depth.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from .problems import JsonPath, Problem, SpecError, format_path

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 48


@dataclass
class Document:
    """A loaded spec: its data plus the (line, col) of every value and mapping key, both 1-based."""

    file: str
    data: Any
    text: bytes
    values: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: JsonPath, *, key: bool = False) -> tuple[int, int]:
        """Position of `path`, or of its nearest ancestor that has one."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if key and probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), (1, 1))

    def problem(self, path: JsonPath, message: str, *, key: bool = False) -> Problem:
        line, col = self.where(path, key=key)
        return Problem(self.file, line, col, message, format_path(path))


class _NoAliasLoader(Reader, Scanner, Parser, Composer, SafeConstructor, Resolver):
    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                None, None, "YAML aliases are not allowed in specs (write the value out)", event.start_mark
            )
        return super().compose_node(parent, index)  # type: ignore[no-any-return]


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    def __init__(self, doc: Document, loader: _NoAliasLoader) -> None:
        self.doc = doc
        self.loader = loader
        self.problems: list[Problem] = []

    def build(self, node: Node, path: JsonPath) -> Any:
        self.doc.values[path] = _mark(node)
        if len(path) > MAX_DEPTH:
            raise SpecError([self.doc.problem(path, f"nesting deeper than {MAX_DEPTH} levels")])
        if isinstance(node, MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    line, col = _mark(key_node)
                    msg = "mapping keys must be plain scalars"
                    self.problems.append(Problem(self.doc.file, line, col, msg, format_path(path)))
                    continue
                key = str(key_node.value)
                if key == "<<":
                    line, col = _mark(key_node)
                    msg = "YAML merge keys are not allowed in specs"
                    self.problems.append(Problem(self.doc.file, line, col, msg, format_path(path)))
                    continue
                child = (*path, key)
                if key in out:
                    line, col = _mark(key_node)
                    first = self.doc.keys[child]
                    msg = f"duplicate key '{key}' (first at line {first[0]})"
                    self.problems.append(Problem(self.doc.file, line, col, msg, format_path(child)))
                    continue
                self.doc.keys[child] = _mark(key_node)
                out[key] = self.build(value_node, child)
            return out
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        if isinstance(node, ScalarNode):
            return self.loader.construct_object(node, deep=True)
        raise AssertionError(f"unexpected YAML node {node!r}")


def load_text(text: bytes, file: str) -> Document:
    """Parse one spec; raise SpecError with positions for anything that is not a usable YAML mapping."""
    doc = Document(file=file, data=None, text=text)
    if len(text) > MAX_BYTES:
        raise SpecError([Problem(file, 1, 1, f"spec is larger than {MAX_BYTES // (1024 * 1024)} MiB")])
    try:
        source = text.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = text[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise SpecError([Problem(file, line, col, f"not UTF-8: byte 0x{text[exc.start]:02x}")]) from None
    if source.startswith("\ufeff"):
        source = source[1:]
    if not source.strip():
        raise SpecError([Problem(file, 1, 1, "spec is empty")])
    loader = _NoAliasLoader(source)
    try:
        node = loader.get_single_node()
        if node is None:
            raise SpecError([Problem(file, 1, 1, "spec is empty")])
        builder = _Builder(doc, loader)
        doc.data = builder.build(node, ())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(part for part in (exc.context, exc.problem) if part) or "invalid YAML"
        raise SpecError([Problem(file, line, col, f"YAML: {message}")]) from None
    except yaml.YAMLError as exc:
        raise SpecError([Problem(file, 1, 1, f"YAML: {exc}")]) from None
    except RecursionError:
        raise SpecError([Problem(file, 1, 1, "nesting too deep")]) from None
    finally:
        loader.dispose()
    if builder.problems:
        raise SpecError(builder.problems)
    if not isinstance(doc.data, dict):
        raise SpecError([Problem(file, 1, 1, "a spec must be a YAML mapping")])
    return doc


def load_file(path: Path, display: str | None = None) -> Document:
    name = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SpecError([Problem(name, 1, 1, f"spec is larger than {MAX_BYTES // (1024 * 1024)} MiB")])
        text = path.read_bytes()
    except OSError as exc:
        raise SpecError([Problem(name, 1, 1, f"cannot read: {exc.strerror}")]) from None
    return load_text(text, name)


# Dates stay strings: the spec format types them with `format: date`, and JSON has no date type.
_NoAliasLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
}
