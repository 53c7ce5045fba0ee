"""Stage 6, write: the whole output tree replaces `generated/` in one atomic step, or not at all."""

from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
from pathlib import Path

_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories atomically (Linux renameat2); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def _staging_prefix(directory: Path) -> str:
    return f".{directory.name}.staging-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def remove_abandoned_staging(directory: Path) -> list[Path]:
    """Delete staging folders left by runs that were killed (their process is gone); return them.

    Each staging folder carries its writer's pid, so a run never touches a folder another live run is using.
    """
    prefix = _staging_prefix(directory)
    removed: list[Path] = []
    if not directory.parent.is_dir():
        return removed
    for path in sorted(directory.parent.glob(f"{prefix}*")):
        pid_text = path.name[len(prefix):].split("-", 1)[0]
        if path.is_dir() and pid_text.isdigit() and not _alive(int(pid_text)):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def write_tree(files: dict[str, bytes], directory: Path) -> Path:
    """Write `files` into a fresh sibling directory; return it (the caller formats it, then `replace`s)."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    prefix = f"{_staging_prefix(directory)}{os.getpid()}-"
    staging = Path(tempfile.mkdtemp(prefix=prefix, dir=directory.parent))
    try:
        for rel, data in sorted(files.items()):
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    except BaseException:  # a full disk, an interrupt: leave no half-written folder behind
        discard(staging)
        raise
    return staging


def read_tree(directory: Path) -> dict[str, bytes]:
    if not directory.is_dir():
        return {}
    out: dict[str, bytes] = {}
    for path in sorted(directory.rglob("*")):
        rel = path.relative_to(directory).as_posix()
        if path.is_file() and not _ignored(rel):
            out[rel] = path.read_bytes()
    return out


def _ignored(rel: str) -> bool:
    parts = rel.split("/")
    return any(p in ("__pycache__", ".mypy_cache", ".ruff_cache") or p.endswith(".egg-info") for p in parts)


def replace(staging: Path, directory: Path) -> None:
    """Make `staging` the new `directory`. Readers see the old tree or the new one, never a mix."""
    if directory.exists() and _exchange(staging, directory):
        _keep_local_state(staging, directory)
        shutil.rmtree(staging)
        return
    old = directory.with_name(f".{directory.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if directory.exists():
        directory.rename(old)
    staging.rename(directory)
    shutil.rmtree(old, ignore_errors=True)


def _keep_local_state(old: Path, new: Path) -> None:
    """Editable-install metadata lives beside the sources; carry it over so the install keeps working."""
    for path in old.glob("*.egg-info"):
        if not (new / path.name).exists():
            path.rename(new / path.name)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
