"""The broken-spec corpus: `opigen validate` on each case prints exactly its .expected and exits 1.

Each tests/broken_specs/NNN-slug.yaml is the base spec with one mistake (made by make_cases.py); its
.expected holds the exact stderr of `opigen validate`, run from the repo root: one
`file:line:col: message (at json.path)` line per problem, then the summary line
"N problem(s) found; nothing was written." (the summary is part of .expected, so a change in the count
of problems shows up too).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import pytest
from spec_support import BASE_FILE, BROKEN, ROOT, Run, opigen, problems_of, read_tree

from generator import pipeline
from generator.problems import SpecError

CASES = sorted(p.name for p in BROKEN.glob("[0-9]*-*.yaml"))
LIMIT_SECONDS = 10
# Every case must be refused within this address space (a valid spec validates in under 60 MiB).
LIMIT_BYTES = 256 * 1024 * 1024


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@cache
def validated() -> dict[str, Run]:
    """`opigen validate` on every case, run side by side (each is its own process)."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        runs = pool.map(lambda name: opigen("validate", rel(BROKEN / name), timeout=LIMIT_SECONDS * 3,
                                           memory_limit=LIMIT_BYTES), CASES)
        return dict(zip(CASES, runs, strict=True))


def test_corpus_is_large_and_each_case_has_its_expectation() -> None:
    assert len(CASES) >= 55
    for name in CASES:
        assert (BROKEN / name).with_suffix(".expected").is_file(), name
    stray = {p.name for p in BROKEN.glob("*.expected")} - {Path(n).with_suffix(".expected").name for n in CASES}
    assert stray == set()


def test_committed_cases_are_what_make_cases_writes() -> None:
    spec = importlib.util.spec_from_file_location("make_cases", BROKEN / "make_cases.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_cases"] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    made: dict[str, bytes] = module.written()
    assert sorted(made) == CASES
    for name, data in made.items():
        assert (BROKEN / name).read_bytes() == data, f"{name} differs: run tests/broken_specs/make_cases.py"


def test_base_spec_is_valid() -> None:
    assert problems_of(BASE_FILE.read_bytes()) == []


@pytest.mark.parametrize("name", CASES)
def test_validate_prints_expected_problems(name: str) -> None:
    run = validated()[name]
    expected = (BROKEN / name).with_suffix(".expected").read_text(encoding="utf-8")
    assert run.stderr == expected
    assert run.code == 1
    assert run.stdout == ""
    assert run.seconds < LIMIT_SECONDS


@pytest.mark.parametrize("name", CASES)
def test_every_problem_points_into_the_file(name: str) -> None:
    lines = (BROKEN / name).read_bytes().split(b"\n")
    expected = (BROKEN / name).with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    assert expected[-1].endswith("found; nothing was written.")
    for text in expected[:-1]:
        file, line, col, rest = text.split(":", 3)
        assert file == rel(BROKEN / name)
        assert 1 <= int(line) <= max(len(lines), 1)
        assert 1 <= int(col) <= len(lines[int(line) - 1]) + 1
        assert rest.startswith(" ") and rest.rstrip().endswith(")") and " (at $" in rest
    assert int(expected[-1].split()[0]) == len(expected) - 1


def test_ten_megabyte_spec_is_refused_quickly(tmp_path: Path) -> None:
    spec = tmp_path / "huge.yaml"
    base = BASE_FILE.read_bytes()
    with spec.open("wb") as out:
        out.write(base)
        out.write(b"# padding\n" * (10 * 1024 * 1024 // 10))
    run = opigen("validate", str(spec), timeout=LIMIT_SECONDS, memory_limit=LIMIT_BYTES)
    assert run.code == 1
    assert run.stderr == f"{spec}:1:1: spec is larger than 512 KiB (at $)\n1 problem found; nothing was written.\n"
    assert run.seconds < LIMIT_SECONDS


@pytest.mark.parametrize(
    ("shape", "text", "where"),
    [
        ("flow", "methods: " + "[" * 5000 + "]" * 5000 + "\n", "1:57"),  # the 48th bracket
        ("block", "".join("  " * i + f"k{i}:\n" for i in range(100)) + "  " * 100 + "v\n", "48:95"),  # key k47, level 49
    ],
)
def test_deep_nesting_is_refused(tmp_path: Path, shape: str, text: str, where: str) -> None:
    spec = tmp_path / f"deep-{shape}.yaml"
    spec.write_text(text, encoding="utf-8")
    run = opigen("validate", str(spec), timeout=LIMIT_SECONDS, memory_limit=LIMIT_BYTES)
    assert run.code == 1
    assert run.stderr == (
        f"{spec}:{where}: YAML: nesting deeper than 48 levels (at $)\n1 problem found; nothing was written.\n"
    )
    assert run.seconds < LIMIT_SECONDS


@pytest.fixture(scope="module")
def generated_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tree") / "generated"
    run = opigen("generate", "--specs", "specs/cdek.yaml", "--out", str(out))
    assert run.code == 0, run.stderr
    return out


def case(slug: str) -> str:
    return next(name for name in CASES if name.endswith(f"-{slug}.yaml"))


@pytest.mark.seed("cdek")
@pytest.mark.parametrize(
    "name",
    [case(slug) for slug in ("yaml-unclosed-flow", "unknown-top-level-key", "dangling-ref",
                             "body-model-is-schema-name", "error-model-name-taken")],
)
def test_generate_with_a_broken_spec_writes_nothing(generated_tree: Path, tmp_path: Path, name: str) -> None:
    parent = tmp_path / "work"
    out = parent / "generated"
    shutil.copytree(generated_tree, out)
    before = read_tree(out)
    run = opigen("generate", "--specs", "specs/cdek.yaml", rel(BROKEN / name), "--out", str(out))
    assert run.code == 1
    expected = (BROKEN / name).with_suffix(".expected").read_text(encoding="utf-8")
    assert run.stderr == expected
    assert read_tree(out) == before
    assert sorted(p.name for p in parent.iterdir()) == ["generated"]  # no staging folder left behind


@pytest.mark.seed("cdek")
def test_generate_refuses_every_case_and_keeps_the_tree(generated_tree: Path, tmp_path: Path) -> None:
    """Each case beside a valid spec, through the whole `generate` path in process: refused, tree untouched."""
    out = tmp_path / "work" / "generated"
    shutil.copytree(generated_tree, out)
    before = read_tree(out)
    for name in CASES:
        with pytest.raises(SpecError) as refused:
            pipeline.generate([ROOT / "specs" / "cdek.yaml", BROKEN / name], out)
        assert refused.value.problems, name
        assert read_tree(out) == before, name
    assert sorted(p.name for p in out.parent.iterdir()) == ["generated"]
