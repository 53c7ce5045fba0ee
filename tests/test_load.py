"""Stage 1, load: YAML -> data with the position of every value and key; unsafe YAML refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from spec_support import BASE_FILE

from generator.load import MAX_BYTES, MAX_DEPTH, load_file, load_text
from generator.problems import Problem, SpecError, format_path

ROOT = Path(__file__).resolve().parent.parent


def refused(text: bytes | str) -> list[str]:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    with pytest.raises(SpecError) as info:
        load_text(raw, "s.yaml")
    return [str(p) for p in info.value.problems]


def test_positions_of_values_and_keys() -> None:
    doc = load_text(BASE_FILE.read_bytes(), "base.yaml")
    lines = BASE_FILE.read_text(encoding="utf-8").splitlines()

    def at(line: int, col: int) -> str:
        return lines[line - 1][col - 1 :]

    assert doc.keys[("provider", "title")] == (5, 3)
    assert doc.values[("provider", "title")] == (5, 10)
    assert at(5, 10).startswith("Demo Pay")
    # list items, flow mappings and flow sequences
    line, col = doc.values[("environments", 1)]
    assert at(line, col).startswith("name: sandbox")
    line, col = doc.values[("methods", 0, "doc", "url")]
    assert at(line, col).startswith("'https://docs.example.com/auth'")
    line, col = doc.keys[("methods", 0, "doc", "url")]
    assert at(line, col).startswith("url: 'https")
    line, col = doc.values[("auth", "require", 0, 0)]
    assert at(line, col).startswith("oauth]]")
    # every node has a position, and the root starts at the first key
    assert doc.values[()] == (2, 1)
    assert len(doc.values) > 200


def test_where_falls_back_to_the_nearest_ancestor() -> None:
    doc = load_text(BASE_FILE.read_bytes(), "base.yaml")
    assert doc.where(("provider", "title", "missing")) == doc.values[("provider", "title")]
    assert doc.where(("provider", "nope"), key=True) == doc.keys[("provider",)]
    assert doc.where(("methods", 1), key=True) == doc.values[("methods", 1)]
    assert doc.problem(("provider", "alias"), "m", key=True) == Problem("base.yaml", 4, 3, "m", "$.provider.alias")


def test_data_is_plain_json_like() -> None:
    doc = load_text(b"a: 1\nb: 1.5\nc: true\nd: ~\ne: [x, 'y']\n200: ok\n'1.0': f\n", "s.yaml")
    assert doc.data == {"a": 1, "b": 1.5, "c": True, "d": None, "e": ["x", "y"], "200": "ok", "1.0": "f"}


def test_dates_stay_strings() -> None:
    doc = load_text(b"d: 2024-01-02\nt: 2024-01-02T10:11:12Z\nq: '2024-01-02'\n", "s.yaml")
    assert doc.data == {"d": "2024-01-02", "t": "2024-01-02T10:11:12Z", "q": "2024-01-02"}


def test_duplicate_keys_are_all_reported_with_the_first_line() -> None:
    assert refused("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n") == [
        "s.yaml:4:3: duplicate key 'c' (first at line 3) (at $.b.c)",
        "s.yaml:5:1: duplicate key 'a' (first at line 1) (at $.a)",
    ]
    assert refused("a: {x: 1, x: 2}\n") == ["s.yaml:1:11: duplicate key 'x' (first at line 1) (at $.a.x)"]
    # keys are text: 1 and '1' are the same JSON key
    assert refused("1: a\n'1': b\n") == ["s.yaml:2:1: duplicate key '1' (first at line 1) (at $.1)"]


ANCHORS = "YAML: YAML anchors and aliases are not allowed in specs (write the value out) (at $)"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("a: &x 1\nb: *x\n", "1:4"),  # refused at the anchor, before any alias
        ("a: &x 1\n", "1:4"),  # an anchor alone too
        ("a: 1\nb: *x\n", "2:4"),  # an alias to nothing
        ("a: [&x {k: v}]\n", "1:5"),
    ],
)
def test_anchors_and_aliases_are_refused(text: str, where: str) -> None:
    assert refused(text) == [f"s.yaml:{where}: {ANCHORS}"]


def test_billion_laughs_is_refused_at_once() -> None:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"{c}: &{c} [{', '.join(['*' + chr(ord(c) - 1)] * 9)}]" for c in "bcdefghij"]
    assert refused("\n".join(lines) + "\n") == [f"s.yaml:1:4: {ANCHORS}"]


def test_merge_keys_and_tags_are_refused() -> None:
    assert refused("a:\n  <<: {b: 1}\n") == ["s.yaml:2:3: YAML merge keys are not allowed in specs (at $.a)"]
    assert refused("a: !!binary aGk=\n") == ["s.yaml:1:4: YAML tag '!!binary' is not allowed in specs (at $.a)"]
    assert refused("a: !!set {x}\n") == ["s.yaml:1:4: YAML tag '!!set' is not allowed in specs (at $.a)"]
    assert refused("a: !!python/object:os.system x\n") == [
        "s.yaml:1:4: YAML tag '!!python/object:os.system' is not allowed in specs (at $.a)"
    ]
    assert refused("a: !!int abc\n") == ["s.yaml:1:4: 'abc' is not a valid !!int (at $.a)"]
    assert refused("? [a]\n: b\n") == ["s.yaml:1:3: mapping keys must be plain scalars (at $)"]
    # the plain tags are fine
    assert load_text(b"a: !!str 12\nb: !!int '7'\n", "s.yaml").data == {"a": "12", "b": 7}


def test_yaml11_booleans_must_be_explicit() -> None:
    assert refused("country: NO\n") == [
        "s.yaml:1:10: 'NO' would be read as false: write true/false, or quote it to keep the text (at $.country)"
    ]
    assert refused("a: [on, off]\n") == [
        "s.yaml:1:5: 'on' would be read as true: write true/false, or quote it to keep the text (at $.a[0])",
        "s.yaml:1:9: 'off' would be read as false: write true/false, or quote it to keep the text (at $.a[1])",
    ]
    assert load_text(b"a: 'NO'\nb: True\nc: false\nyes: 1\n", "s.yaml").data == {
        "a": "NO", "b": True, "c": False, "yes": 1,
    }


def test_size_limit(tmp_path: Path) -> None:
    padding = b"# " + b"x" * 78 + b"\n"
    text = b"a: 1\n" + padding * ((MAX_BYTES - 5) // len(padding))
    assert len(text) <= MAX_BYTES
    assert load_text(text, "s.yaml").data == {"a": 1}
    big = text + b"#" * (MAX_BYTES - len(text) + 1)
    assert refused(big) == [f"s.yaml:1:1: spec is larger than {MAX_BYTES // 1024} KiB (at $)"]
    path = tmp_path / "big.yaml"
    path.write_bytes(big)
    with pytest.raises(SpecError) as info:
        load_file(path, "big.yaml")
    assert [p.message for p in info.value.problems] == ["spec is larger than 512 KiB"]


def nested(depth: int) -> str:
    """A document whose deepest node is at `depth` (the root mapping is level 1)."""
    return "a: " + "[" * (depth - 1) + "]" * (depth - 1) + "\n"


def test_depth_limit() -> None:
    assert load_text(nested(MAX_DEPTH).encode(), "s.yaml").data is not None
    assert refused(nested(MAX_DEPTH + 1)) == [f"s.yaml:1:51: YAML: nesting deeper than {MAX_DEPTH} levels (at $)"]
    # far deeper than Python's recursion limit: still a problem, not a RecursionError
    assert refused(nested(20_000)) == [f"s.yaml:1:51: YAML: nesting deeper than {MAX_DEPTH} levels (at $)"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b"", "s.yaml:1:1: spec is empty (at $)"),
        (b"  \n\n", "s.yaml:1:1: spec is empty (at $)"),
        (b"# only\n# comments\n", "s.yaml:1:1: spec is empty (at $)"),
        (b"---\n", "s.yaml:1:1: spec is empty (at $)"),
        (b"- a\n- b\n", "s.yaml:1:1: a spec must be a YAML mapping of keys to values, not a list (at $)"),
        (b"text\n", "s.yaml:1:1: a spec must be a YAML mapping of keys to values, not a single value (at $)"),
        (b"a: 1\nb:\n\t- c\n", "s.yaml:3:1: YAML: tab character; indent with spaces (at $)"),
        (b"a: 1\n---\nb: 2\n",
         "s.yaml:2:1: YAML: expected a single document in the stream, but found another document (at $)"),
        (b"a: [1, 2\nb: 3\n",
         "s.yaml:1:4: YAML: expected ',' or ']', but got ':' "
         "(while parsing a flow sequence that starts here; noticed at line 2) (at $)"),
        (b"a: 'x\n", "s.yaml:1:4: YAML: found unexpected end of stream "
         "(while scanning a quoted scalar that starts here; noticed at line 2) (at $)"),
        (b"a: b\x00c\n", "s.yaml:1:5: YAML: character U+0000 is not allowed in YAML "
         "(use an escape in a quoted string) (at $)"),
        (b"a: \xc3\xa9\xff\n", "s.yaml:1:5: not UTF-8: byte 0xff (at $)"),
        ("a: 1\n".encode("utf-16"), "s.yaml:1:1: not UTF-8: byte 0xff (at $)"),
    ],
)
def test_unusable_input_is_one_positioned_problem(text: bytes, expected: str) -> None:
    assert refused(text) == [expected]


def test_bom_is_accepted_and_positions_stay() -> None:
    doc = load_text("\ufeffa: 1\nb: 2\n".encode(), "s.yaml")
    assert doc.data == {"a": 1, "b": 2}
    assert doc.values[("b",)] == (2, 4)


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as info:
        load_file(tmp_path / "missing.yaml", "missing.yaml")
    assert [str(p) for p in info.value.problems] == [
        "missing.yaml:1:1: cannot read: No such file or directory (at $)"
    ]


def test_problem_paths_are_readable_jsonpath() -> None:
    assert format_path(()) == "$"
    assert format_path(("methods", 2, "responses", "200", "schema", "$ref")) == "$.methods[2].responses.200.schema.$ref"
    assert format_path(("headers", "User-Agent")) == "$.headers.User-Agent"
    assert format_path(("example", "internal merchant id", "a.b")) == '$.example["internal merchant id"]["a.b"]'


def _tree(node: object) -> object:
    """A node as comparable data: kind, tag, start and end, style, value or children."""
    from yaml.nodes import Node, ScalarNode

    assert isinstance(node, Node)
    head = (type(node).__name__, node.tag, node.start_mark.line, node.start_mark.column, node.end_mark.line,
            node.end_mark.column, getattr(node, "style", None), getattr(node, "flow_style", None))
    if isinstance(node, ScalarNode):
        return (*head, node.value)
    return (*head, [tuple(_tree(n) for n in item) if isinstance(item, tuple) else _tree(item) for item in node.value])


YAML_FILES = sorted({*(ROOT / "specs").glob("*.yaml"), *(ROOT / "tests").rglob("*.yaml")})


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_libyaml_and_the_pure_parser_compose_the_same_nodes(path: Path) -> None:
    """Specs are parsed by libyaml under PyYAML's composer, falling back to the pure-Python parser for
    the errors: on every spec and test YAML file both give the same nodes (positions, styles, tags), or
    both refuse the file."""
    import yaml

    from generator import load

    assert load._FastLoader is not None, "PyYAML without libyaml: specs load at the pure parser's speed"
    source = path.read_text(encoding="utf-8", errors="replace").removeprefix("\ufeff")
    if yaml.reader.Reader.NON_PRINTABLE.search(source):
        return  # such a file never reaches libyaml (load._parse): the pure parser reports the character
    results = []
    for loader_class in (load._NoAliasLoader, load._FastLoader):
        loader = loader_class(source)
        try:
            node = loader.get_single_node()
            results.append(None if node is None else _tree(node))
        except yaml.YAMLError as exc:
            results.append(type(exc).__name__)
        finally:
            loader.dispose()
    assert results[0] == results[1]
