"""Stages 1-3 for spec files: find them, then load, check and model each into a Provider.

The pipeline renders what this returns; the contract server serves it. The stages are imported when specs
are loaded, not with this module, so that a no-op generation run never imports them (nor YAML, jsonschema)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .problems import Problem, SpecError

if TYPE_CHECKING:
    from .ir import Provider


def spec_files(paths: list[Path]) -> list[Path]:
    """The spec files among `paths`: files as given, and the .yaml/.yml files of folders, sorted."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()))
        else:
            out.append(path)
    return out


def display_path(path: Path) -> str:
    """`path` as problems and manifests show it: relative to the working folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def load_providers(paths: list[Path]) -> list[Provider]:
    """Load, check and model every spec; raise SpecError with every problem of every file."""
    from .check import check
    from .load import load_file
    from .model import build

    problems: list[Problem] = []
    providers: list[Provider] = []
    aliases: dict[str, str] = {}
    for path in spec_files(paths):
        name = display_path(path)
        try:
            doc = load_file(path, name)
        except SpecError as exc:
            problems.extend(exc.problems)
            continue
        found = check(doc)
        if found:
            problems.extend(found)
            continue
        provider = build(doc, name)
        if provider.alias in aliases:
            problems.append(doc.problem(("provider", "alias"),
                                        f"alias '{provider.alias}' is already used by {aliases[provider.alias]}"))
            continue
        aliases[provider.alias] = name
        providers.append(provider)
    if problems:
        raise SpecError(problems)
    if not providers and not problems:
        raise SpecError([Problem(display_path(paths[0]) if paths else ".", 1, 1, "no spec files found")])
    return distinct_docs_folders(sorted(providers, key=lambda p: p.alias))


def distinct_docs_folders(providers: list[Provider]) -> list[Provider]:
    """Providers whose docs would share a folder (the same title, ignoring case, as file systems may):
    the first by alias keeps it, the others get `<folder>-<alias>`. Deterministic for a set of specs."""
    from dataclasses import replace

    seen: set[str] = set()
    out = []
    for provider in providers:
        folder = provider.docs_folder
        while folder.lower() in seen:
            folder = f"{folder}-{provider.alias}"
        if folder != provider.docs_folder:
            provider = replace(provider, docs_folder=folder)
        seen.add(provider.docs_folder.lower())
        out.append(provider)
    return out
