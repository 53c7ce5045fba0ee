"""Helpers for the spec-format tests: the small valid base spec, edits of it, and running the stages."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.check import check
from generator.ir import Provider
from generator.load import Document, load_text
from generator.model import build
from generator.problems import Problem, SpecError

ROOT = Path(__file__).resolve().parent.parent
BROKEN = ROOT / "tests" / "broken_specs"
BASE_FILE = BROKEN / "_base.yaml.txt"
OPIGEN = Path(sys.executable).with_name("opigen")


@contextmanager
def importable(specs: list[Path], out: Path) -> Iterator[Path]:
    """`specs` generated into `out`; while the block runs their packages import as `opi.<alias>` beside
    generated/'s, whose runtime stays the one under test. Yields `out`."""
    import opi

    from generator.pipeline import generate

    generate(specs, out)
    opi.__path__.append(str(out / "opi"))
    try:
        yield out
    finally:
        opi.__path__.remove(str(out / "opi"))


def base_text() -> str:
    return BASE_FILE.read_text(encoding="utf-8")


def base_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(base_text())
    return data


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter when present: the fuzz test dumps a lot


def dump(data: Any) -> bytes:
    text: str = yaml.dump(data, Dumper=_DUMPER, sort_keys=False, allow_unicode=True)
    return text.encode("utf-8")


def problems_of(text: bytes | str, file: str = "t.yaml") -> list[Problem]:
    """Every problem load and check find (empty for a valid spec)."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    try:
        doc = load_text(raw, file)
    except SpecError as exc:
        return exc.problems
    return check(doc)


def messages(text: bytes | str) -> list[str]:
    return [p.message for p in problems_of(text)]


def edited(edit: Callable[[dict[str, Any]], object]) -> list[Problem]:
    """Problems of the base spec after `edit` changed its data in place."""
    data = copy.deepcopy(base_data())
    edit(data)
    return problems_of(dump(data))


def method(data: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(m for m in data["methods"] if m["name"] == name)
    return found


def load_ok(text: bytes | str, file: str = "t.yaml") -> Document:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    doc = load_text(raw, file)
    problems = check(doc)
    assert problems == [], "\n".join(map(str, problems))
    return doc


def provider_of(text: bytes | str, file: str = "t.yaml") -> Provider:
    return build(load_ok(text, file), file)


def provider_file(path: Path) -> Provider:
    return provider_of(path.read_bytes(), path.relative_to(ROOT).as_posix())


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float


def opigen(*args: str, cwd: Path = ROOT, timeout: float = 60, memory_limit: int | None = None) -> Run:
    """Run `opigen`; memory_limit (bytes) caps its address space, so a runaway input fails the run."""
    import resource
    import time

    def limit() -> None:
        if memory_limit is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))

    env = {k: v for k, v in os.environ.items() if not k.startswith("OPI")}
    start = time.monotonic()
    proc = subprocess.run([str(OPIGEN), *args], cwd=cwd, capture_output=True, timeout=timeout, env=env,
                          preexec_fn=limit)
    return Run(
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
        time.monotonic() - start,
    )


def read_tree(directory: Path) -> dict[str, bytes]:
    """Every file under `directory` (caches included), so "unchanged" means byte for byte."""
    return {
        p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()
    }
