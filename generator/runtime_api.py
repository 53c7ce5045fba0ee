"""What the runtime's clients take and expose, read from their source (generator/runtime/client.py).

The names a spec may not use for credentials or methods follow from the runtime itself, so they cannot
drift from it. Read with `ast` rather than imported: importing the clients loads httpx and pydantic,
which `opigen` otherwise never needs (a no-op run would pay about 0.1 s for it).
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

RUNTIME = Path(__file__).resolve().parent / "runtime"
CLIENTS = ("SyncClient", "AsyncClient")  # the classes the generated Client and AsyncClient extend
# Constructor parameters the generated clients fill from the spec (its credentials and environment
# flag), not keywords of their own constructors.
FROM_SPEC = frozenset({"credentials", "flags"})


@cache
def _module(name: str) -> ast.Module:
    return ast.parse((RUNTIME / f"{name}.py").read_text(encoding="utf-8"))


def _class(module: str, name: str) -> tuple[ast.ClassDef, str]:
    """The class `name` as seen from `module`: defined there, or imported from a sibling module."""
    tree = _module(module)
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            return node, module
    sibling_imports = (n for n in tree.body if isinstance(n, ast.ImportFrom) and n.level == 1 and n.module)
    for node in sibling_imports:
        if node.module and any((alias.asname or alias.name) == name for alias in node.names):
            return _class(node.module, name)
    raise LookupError(f"runtime class {name} not found from {module}.py")


def _lineage(module: str, name: str) -> list[ast.ClassDef]:
    """The class and its runtime base classes, the class first."""
    node, where = _class(module, name)
    found = [node]
    for base in node.bases:
        if isinstance(base, ast.Name):
            found += _lineage(where, base.id)
    return found


def _members(node: ast.ClassDef) -> set[str]:
    names: set[str] = set()
    for item in node.body:
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(item.name)
        elif isinstance(item, ast.Assign):
            names.update(t.id for t in item.targets if isinstance(t, ast.Name))
    return names


def client_members() -> frozenset[str]:
    """Public members (methods, properties) of the runtime clients, inherited ones included."""
    return frozenset(
        name
        for client in CLIENTS
        for node in _lineage("client", client)
        for name in _members(node)
        if not name.startswith("_")
    )


def client_keywords() -> frozenset[str]:
    """Keywords of the generated constructors besides the spec's: the runtime clients' own."""
    names: set[str] = set()
    for client in CLIENTS:
        init = next(
            item
            for node in _lineage("client", client)
            for item in node.body
            if isinstance(item, ast.FunctionDef) and item.name == "__init__"
        )
        names.update(arg.arg for arg in init.args.kwonlyargs)
    return frozenset(names - FROM_SPEC)
