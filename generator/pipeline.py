"""The pipeline: load -> check -> model -> render -> format -> write."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .problems import Problem
from .specs import display_path

# Stages 1-3 live in .specs; load_providers and spec_files stay importable from here as well.
from .specs import load_providers as load_providers
from .specs import spec_files as spec_files
from .write import discard, read_tree, remove_abandoned_staging, replace, write_tree

if TYPE_CHECKING:
    # Only for annotations: a no-op run (see `_fresh`) imports neither the IR nor the renderers (nor YAML,
    # jsonschema, Jinja2); `_renderers` imports the registry when a tree is rendered.
    from .ir import Provider
    from .render.registry import ProviderRenderer, TreeRenderer

MANIFEST = ".opigen-manifest.json"
GENERATOR_DIR = Path(__file__).resolve().parent


def generator_digest() -> str:
    from .render.env import templates_digest

    digest = hashlib.sha256(__version__.encode())
    for path in sorted(GENERATOR_DIR.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".json"):
            digest.update(path.relative_to(GENERATOR_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    digest.update(templates_digest().encode())
    return digest.hexdigest()


@dataclass
class Result:
    written: bool
    files: int
    changed: list[str] = field(default_factory=list)


def tree_digest(files: dict[str, bytes]) -> str:
    """One hash over every output file but the manifest, so a hand-edited file is never trusted as fresh."""
    digest = hashlib.sha256()
    for rel, data in sorted(files.items()):
        if rel != MANIFEST:
            digest.update(f"{rel}\0{hashlib.sha256(data).hexdigest()}\n".encode())
    return digest.hexdigest()


def _manifest(files: dict[str, bytes]) -> dict[str, Any]:
    try:
        old = json.loads(files.get(MANIFEST) or b"{}")
    except ValueError:
        return {}
    return old if isinstance(old, dict) else {}


def _intact(files: dict[str, bytes]) -> bool:
    """The tree is exactly what the generator wrote last time (the manifest's seal matches)."""
    return bool(files) and _manifest(files).get("tree") == tree_digest(files)


def _seal(staging: Path) -> dict[str, bytes]:
    """Record the formatted tree's digest in its manifest; return the final tree."""
    files = read_tree(staging)
    manifest = {**_manifest(files), "tree": tree_digest(files)}
    data = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()
    (staging / MANIFEST).write_bytes(data)
    return {**files, MANIFEST: data}


def _inputs(providers: list[Provider], gen_digest: str) -> dict[str, object]:
    return {
        "generator": gen_digest,
        # The docs folder too: it depends on the other specs' titles, not on this spec alone.
        "specs": {
            p.alias: {"file": p.source_file, "sha256": p.spec_hash, "docs": p.docs_folder} for p in providers
        },
    }


def _renderers() -> tuple[list[ProviderRenderer], list[TreeRenderer]]:
    from .render.registry import PROVIDER_RENDERERS, TREE_RENDERERS

    return PROVIDER_RENDERERS, TREE_RENDERERS


def render_all(providers: list[Provider], previous: dict[str, bytes]) -> dict[str, bytes]:
    """Every output file. A provider whose spec is unchanged (same generator) keeps its files from
    `previous`, an earlier output tree the caller has found intact."""
    gen_digest = generator_digest()
    old = _manifest(previous)
    old_outputs: dict[str, list[str]] = old.get("outputs", {}) if old.get("generator") == gen_digest else {}
    old_specs = old.get("specs", {})
    per_provider, whole_tree = _renderers()
    files: dict[str, str | bytes] = {}
    outputs: dict[str, list[str]] = {}
    for provider in providers:
        kept = old_outputs.get(provider.alias)
        recorded = old_specs.get(provider.alias, {})
        same = recorded.get("sha256") == provider.spec_hash and recorded.get("docs") == provider.docs_folder
        if kept and same and all(k in previous for k in kept):
            files.update({k: previous[k] for k in kept})
            outputs[provider.alias] = kept
            continue
        rendered: dict[str, str] = {}
        for renderer in per_provider:
            rendered.update(renderer(provider))
        files.update(rendered)
        outputs[provider.alias] = sorted(rendered)
    for tree_renderer in whole_tree:
        files.update(tree_renderer(providers))
    manifest = {**_inputs(providers, gen_digest), "outputs": outputs}
    files[MANIFEST] = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    return {k: v if isinstance(v, bytes) else v.encode("utf-8") for k, v in sorted(files.items())}


def _fresh(specs: list[Path], out: Path) -> dict[str, bytes] | None:
    """The no-op fast path, before any parsing: the tree in `out` when its manifest records exactly these
    spec files with these hashes, made by this generator, and the tree still matches its seal; else None.
    Byte-identical specs under the same generator render the same tree: nothing to load, check or render."""
    files = spec_files(specs)
    try:
        old = json.loads((out / MANIFEST).read_bytes())
        current = {(display_path(p), hashlib.sha256(p.read_bytes()).hexdigest()) for p in files}
    except (OSError, ValueError):
        return None
    if not files or not isinstance(old, dict) or old.get("generator") != generator_digest():
        return None
    recorded = old.get("specs")
    if not isinstance(recorded, dict) or len(recorded) != len(files):
        return None
    if {(s.get("file"), s.get("sha256")) for s in recorded.values() if isinstance(s, dict)} != current:
        return None
    tree = read_tree(out)
    return tree if _intact(tree) else None


def format_tree(directory: Path) -> None:
    """Stage 5, format: ruff fixes and formats the Python output in place."""
    ruff = _ruff()
    for args in (["check", "--no-cache", "--fix-only", "--quiet", "--exit-zero"], ["format", "--no-cache", "--quiet"]):
        subprocess.run([ruff, *args, "."], cwd=directory, check=True)


def _ruff() -> str:
    from ruff.__main__ import find_ruff_bin

    return str(find_ruff_bin())


def generate(specs: list[Path], out: Path, *, check_only: bool = False) -> Result:
    """Regenerate `out` from `specs`. With check_only, compare instead of writing."""
    if not check_only:
        remove_abandoned_staging(out)
        fresh = _fresh(specs, out)
        if fresh is not None:
            return Result(written=False, files=len(fresh))
    providers = load_providers(specs)
    previous = read_tree(out)
    # Earlier files are reused only when the tree is exactly what the generator wrote (its seal matches).
    files = render_all(providers, previous if not check_only and _intact(previous) else {})
    staging = write_tree(files, out)
    try:
        format_tree(staging)
        result = _seal(staging)
        changed = sorted(k for k in set(result) | set(previous) if result.get(k) != previous.get(k))
        if check_only or not changed:
            discard(staging)
            return Result(written=False, files=len(result), changed=changed)
        replace(staging, out)
        return Result(written=True, files=len(result), changed=changed)
    except BaseException:
        discard(staging)
        raise


def report(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    count = len(problems)
    print(f"{count} problem{'s' if count != 1 else ''} found; nothing was written.", file=sys.stderr)
