"""Two specs with the same title never share a docs folder, whatever order they arrive in."""

from __future__ import annotations

from pathlib import Path

import yaml
from provider_support import ROOT

from generator.pipeline import generate
from generator.specs import load_providers

FIRST_SPEC = sorted((ROOT / "specs").glob("*.yaml"))[0]


def _copy(spec: Path, folder: Path, alias: str) -> Path:
    """The spec under another alias, title unchanged."""
    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    data["provider"]["alias"] = alias
    target = folder / f"{alias}.yaml"
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def _docs(out: Path) -> dict[str, set[str]]:
    """Each provider docs folder and the files in it."""
    root = out / "docs"
    return {
        d.name: {p.relative_to(d).as_posix() for p in d.rglob("*") if p.is_file()}
        for d in sorted(root.iterdir())
        if d.is_dir()
    }


def test_same_title_gets_distinct_folders(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    original = specs / FIRST_SPEC.name
    original.write_bytes(FIRST_SPEC.read_bytes())
    later = _copy(FIRST_SPEC, specs, "zzcopy")
    first, second = load_providers([original, later])
    assert first.docs_folder != second.docs_folder
    assert second.docs_folder == f"{first.docs_folder}-zzcopy"
    # The same decision from a folder of specs, in any order of the paths given.
    assert [p.docs_folder for p in load_providers([later, original])] == [first.docs_folder, second.docs_folder]


def test_a_copy_added_later_moves_no_page_of_the_other(tmp_path: Path) -> None:
    specs, out = tmp_path / "specs", tmp_path / "out"
    specs.mkdir()
    (specs / FIRST_SPEC.name).write_bytes(FIRST_SPEC.read_bytes())
    generate([specs], out)
    alone = _docs(out)
    (folder,) = alone
    # An alias that sorts first takes the title's folder; the original's pages move, none are lost or shared.
    _copy(FIRST_SPEC, specs, "aaacopy")
    generate([specs], out)
    both = _docs(out)
    (original,) = load_providers([FIRST_SPEC])
    moved = f"{folder}-{original.alias}"
    assert set(both) == {folder, moved}
    assert both[folder] == both[moved] == alone[folder]
    # And back: removing the copy puts the original's pages where they were (no stale folder is left).
    (specs / "aaacopy.yaml").unlink()
    generate([specs], out)
    assert _docs(out) == alone
