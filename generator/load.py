"""Stage 1, load: YAML text -> plain data, remembering where every node stands in the file.

Only the YAML a spec needs is accepted: no aliases (they make "billion laughs" documents possible),
no duplicate keys, no tags beyond the plain scalars, bounded size and depth.
"""

from __future__ import annotations

from collections.abc import Callable
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

# Pure-Python YAML reads about 100 KiB/s of the densest input; real specs are about 25 KiB.
MAX_BYTES = 512 * 1024
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


_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq")
)
_YAML11_BOOLS = frozenset({"true", "false"})


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


class _Checks:
    """What a spec's YAML may not hold, checked while composing (either parser below), and how its plain
    scalars resolve (`yaml_implicit_resolvers`, set at the end of this module)."""

    depth = 0
    yaml_implicit_resolvers: dict[Any, Any]
    peek_event: Callable[[], Any]  # the parser's (annotation only: the mixin defines none)

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
            raise yaml.MarkedYAMLError(
                None,
                None,
                "YAML anchors and aliases are not allowed in specs (write the value out)",
                event.start_mark,
            )
        # Counted here, while composing, so a deeply nested input stops before Python's recursion limit.
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise yaml.MarkedYAMLError(
                    None, None, f"nesting deeper than {MAX_DEPTH} levels", event.start_mark
                )
            node: Node | None = super().compose_node(parent, index)  # type: ignore[misc]
            return node
        finally:
            self.depth -= 1


class _NoAliasLoader(_Checks, Reader, Scanner, Parser, Composer, SafeConstructor, Resolver):
    """PyYAML's pure-Python parser: its error texts and positions are the ones reported."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)


_FastLoader: type | None
try:  # libyaml's scanner and parser (a C extension of PyYAML), seven times faster on the seed specs
    from yaml._yaml import CParser

    class _FastLoader(_Checks, Composer, CParser, SafeConstructor, Resolver):  # type: ignore[no-redef]
        """libyaml's events under PyYAML's own composer, so the checks above and the nodes' positions are
        the same; a document it refuses is parsed again by `_NoAliasLoader`, whose errors are reported."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

        def compose_scalar_node(self, anchor: Any) -> ScalarNode:
            node: ScalarNode = super().compose_scalar_node(anchor)
            if node.style == "":  # libyaml's plain style, written as the pure-Python parser writes it
                node.style = None
            return node

except ImportError:  # PyYAML built without libyaml
    _FastLoader = None


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    def __init__(self, doc: Document, loader: Any) -> None:
        self.doc = doc
        self.loader = loader
        self.problems: list[Problem] = []

    def refuse(self, node: Node, path: JsonPath, message: str) -> None:
        line, col = _mark(node)
        self.problems.append(Problem(self.doc.file, line, col, message, format_path(path)))

    def build(self, node: Node, path: JsonPath) -> Any:
        self.doc.values[path] = _mark(node)
        if node.tag not in _PLAIN_TAGS:
            self.refuse(node, path, f"YAML tag '{_short_tag(node.tag)}' is not allowed in specs")
            return None
        if isinstance(node, MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode) and key_node.value == "<<" and key_node.style is None:
                    self.refuse(key_node, path, "YAML merge keys are not allowed in specs")
                    continue
                if not isinstance(key_node, ScalarNode) or key_node.tag not in _PLAIN_TAGS:
                    self.refuse(key_node, path, "mapping keys must be plain scalars")
                    continue
                key = str(key_node.value)
                child = (*path, key)
                if key in out:
                    first = self.doc.keys[child]
                    self.refuse(key_node, child, f"duplicate key '{key}' (first at line {first[0]})")
                    continue
                self.doc.keys[child] = _mark(key_node)
                out[key] = self.build(value_node, child)
            return out
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        if isinstance(node, ScalarNode):
            try:
                value = self.loader.construct_object(node, deep=True)
            except (ValueError, KeyError, TypeError, OverflowError):
                # Only an explicit tag on an unfit value gets here, e.g. `!!int abc`.
                self.refuse(node, path, f"'{node.value}' is not a valid {_short_tag(node.tag)}")
                return None
            # YAML 1.1 reads yes/no/on/off as booleans (the "Norway problem"); a spec must say what it means.
            if isinstance(value, bool) and node.style is None and node.value.lower() not in _YAML11_BOOLS:
                self.refuse(
                    node,
                    path,
                    f"'{node.value}' would be read as {str(value).lower()}: "
                    "write true/false, or quote it to keep the text",
                )
            return value
        raise AssertionError(f"unexpected YAML node {node!r}")


def _yaml_error(exc: yaml.MarkedYAMLError) -> tuple[int, int, str]:
    """Position and text of a YAML syntax error, pointing where the broken construct starts."""
    problem = exc.problem or "invalid YAML"
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if "'\\t'" in problem:
        return line, col, "YAML: tab character; indent with spaces"
    if problem == "mapping values are not allowed here":
        return line, col, "YAML: a ':' is not allowed here; check this line's indentation and the line above"
    context = exc.context or ""
    if context.startswith("while ") and exc.context_mark:
        # An unclosed bracket or a key without ':' is found lines later; its start is the place to fix.
        start = exc.context_mark
        there = f"; noticed at line {line}" if line != start.line + 1 else ""
        return start.line + 1, start.column + 1, f"YAML: {problem} ({context} that starts here{there})"
    if context:
        return line, col, f"YAML: {context}, {problem}"
    return line, col, f"YAML: {problem}"


def _line_col(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def load_text(text: bytes, file: str) -> Document:
    """Parse one spec; raise SpecError with positions for anything that is not a usable YAML mapping."""
    doc = Document(file=file, data=None, text=text)
    if len(text) > MAX_BYTES:
        raise SpecError([Problem(file, 1, 1, f"spec is larger than {MAX_BYTES // 1024} KiB")])
    try:
        source = text.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = text[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise SpecError([Problem(file, line, col, f"not UTF-8: byte 0x{text[exc.start]:02x}")]) from None
    if source.startswith("\ufeff"):
        source = source[1:]
    if not source.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in source.splitlines()):
        raise SpecError([Problem(file, 1, 1, "spec is empty")])
    node, loader = _parse(source, file)
    try:
        if node is None:
            raise SpecError([Problem(file, 1, 1, "spec is empty")])
        builder = _Builder(doc, loader)
        doc.data = builder.build(node, ())
    except yaml.MarkedYAMLError as exc:
        line, col, message = _yaml_error(exc)
        raise SpecError([Problem(file, line, col, message)]) from None
    except yaml.YAMLError as exc:
        raise SpecError([Problem(file, 1, 1, f"YAML: {' '.join(str(exc).split())}")]) from None
    finally:
        loader.dispose()
    if builder.problems:
        raise SpecError(builder.problems)
    if doc.data is None:
        raise SpecError([Problem(file, 1, 1, "spec is empty")])
    if not isinstance(doc.data, dict):
        kind = "a list" if isinstance(doc.data, list) else "a single value"
        raise SpecError([Problem(file, 1, 1, f"a spec must be a YAML mapping of keys to values, not {kind}")])
    return doc


def _parse(source: str, file: str) -> tuple[Node | None, Any]:
    """The document's root node, and the loader that composed it (it constructs the scalars)."""
    if _FastLoader is not None and not Reader.NON_PRINTABLE.search(source):
        fast = _FastLoader(source)
        try:
            return fast.get_single_node(), fast
        except yaml.YAMLError:
            fast.dispose()  # parsed again below: the pure-Python parser's errors are the ones reported
    try:
        loader = _NoAliasLoader(source)
    except yaml.reader.ReaderError as exc:
        line, col = _line_col(source, exc.position)
        message = (
            f"YAML: character U+{exc.character:04X} is not allowed in YAML (use an escape in a quoted string)"
        )
        raise SpecError([Problem(file, line, col, message)]) from None
    try:
        return loader.get_single_node(), loader
    except yaml.MarkedYAMLError as exc:
        loader.dispose()
        line, col, message = _yaml_error(exc)
        raise SpecError([Problem(file, line, col, message)]) from None
    except yaml.YAMLError as exc:
        loader.dispose()
        raise SpecError([Problem(file, 1, 1, f"YAML: {' '.join(str(exc).split())}")]) from None


def load_file(path: Path, display: str | None = None) -> Document:
    name = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SpecError([Problem(name, 1, 1, f"spec is larger than {MAX_BYTES // 1024} KiB")])
        text = path.read_bytes()
    except OSError as exc:
        raise SpecError([Problem(name, 1, 1, f"cannot read: {exc.strerror}")]) from None
    return load_text(text, name)


# Dates stay strings: the spec format types them with `format: date`, and JSON has no date type.
_Checks.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
}
