"""The generator's architecture, checked from its source: modules import each other without cycles and only
downwards through the layers below, and no module grows past MAX_LINES.

Every import counts, also those inside functions and under `if TYPE_CHECKING:`: a lazy import is still a
dependency, it only defers the cost."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "generator"

# Module-name prefix -> layer. A module may import from its own layer and lower ones only; the longest
# matching prefix (whole dotted parts) places a module, and a module no prefix matches fails the test, so a
# new module must be placed here. The bare package name matches only generator/__init__.py.
LAYERS: dict[str, int] = {
    # The client runtime is copied into the generated package, so it stands alone: it imports only itself.
    "generator.runtime": 0,
    # Low-level helpers (standard library, PyYAML, and each other) and the package's version.
    "generator": 1,
    "generator.names": 1,
    "generator.problems": 1,
    "generator.load": 1,
    "generator.jsonschema_form": 1,
    "generator.write": 1,
    "generator.http_syntax": 1,
    # Where requests go (hosts, URLs from parameters, credential places), read from the spec's data.
    "generator.routes": 1,
    # What the generated client module exposes, read from the runtime's source (without importing httpx).
    "generator.runtime_api": 1,
    # The names the generated client and models modules bind (from the runtime's own lists).
    "generator.module_names": 1,
    # The typed IR every later stage reads.
    "generator.ir": 1,
    "generator.ir_failures": 1,
    # Per-kind plugins (body, answer and auth kinds) that checking, modelling and rendering dispatch to.
    "generator.kinds": 2,
    # Stages 2-3: check a loaded spec, model it into the IR; and both for spec files (load_providers).
    "generator.check": 3,
    "generator.model": 3,
    "generator.model_webhooks": 3,
    "generator.model_paging": 3,
    "generator.model_failures": 3,
    "generator.naming": 3,
    "generator.specs": 3,
    # Users of the IR: the contract rules, the renderers and the contract server.
    "generator.contract": 4,
    "generator.render": 4,
    "generator.mock": 4,
    # The whole generation run.
    "generator.pipeline": 5,
    # Commands.
    "generator.cli": 6,
    "generator.commands": 6,
    "generator.mock_command": 6,
}

# Known cycles that are being removed right now (issue 14): each is tolerated only as exactly this set of
# modules. The lead empties this list once the branches that remove them are merged.
KNOWN_CYCLES: list[frozenset[str]] = []

MAX_LINES = 400
# Modules over MAX_LINES that are being split right now (issue 14); the lead empties this list after merging.
LONG_MODULES: set[str] = set()


# --- reading the imports ----------------------------------------------------------------------------------
def module_files(root: Path, package: str) -> dict[str, Path]:
    """Module name -> file, for every .py file of `package` under `root` (a package is its __init__)."""
    out: dict[str, Path] = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> Iterator[str]:
    """The dotted names one import statement may refer to (modules or names in them), relative ones resolved."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = node.module or ""
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        anchor = package[: len(package) - (node.level - 1)]
        base = ".".join([*anchor, base] if base else anchor)
    yield base
    yield from (f"{base}.{alias.name}" for alias in node.names if alias.name != "*")


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """Module -> the package's modules it imports. `from pkg import name` means the module pkg.name when
    there is one, else pkg itself."""
    files = module_files(root, package)
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        targets: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for name in _imported(node, module, path.name == "__init__.py"):
                    # `import a.b.c` imports the deepest of a.b.c, a.b, a that is one of ours.
                    targets.update(_deepest_module(name, files))
            elif isinstance(node, ast.ImportFrom):
                base, *names = _imported(node, module, path.name == "__init__.py")
                submodules = {n for n in names if n in files}
                targets.update(submodules)
                if len(submodules) < len(names) or not names:  # some names are attributes of base
                    targets.update(_deepest_module(base, files))
        graph[module] = targets - {module}
    return graph


def _deepest_module(name: str, files: dict[str, Path]) -> set[str]:
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        if ".".join(parts[:end]) in files:
            return {".".join(parts[:end])}
    return set()


# --- judging the graph ------------------------------------------------------------------------------------
def layer_of(module: str, layers: dict[str, int]) -> int | None:
    """The layer of the longest prefix of `module` (by whole dotted parts) in `layers`; None if none.
    The top-level package's own name places only its __init__, never its submodules."""
    parts = module.split(".")
    for end in range(len(parts), 1, -1):
        prefix = ".".join(parts[:end])
        if prefix in layers:
            return layers[prefix]
    return layers.get(module)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected component of more than one module, as one cycle through it (a -> b -> a),
    found with Tarjan's algorithm (iterative, so deep graphs cannot overflow the stack)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for nxt in successors:
                if nxt not in graph:
                    continue
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component: set[str] = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(component)
    return [_cycle_through(component, graph) for component in components]


def _cycle_through(component: set[str], graph: dict[str, set[str]]) -> list[str]:
    """A shortest cycle in the component (breadth-first from each module; ties go to the first by name)."""
    best: list[str] = []
    for start in sorted(component):
        paths = {start: [start]}
        queue = [start]
        for node in queue:
            if start in graph[node]:
                if not best or len(paths[node]) + 1 < len(best):
                    best = [*paths[node], start]
                break
            for nxt in sorted(graph[node] & component):
                if nxt not in paths:
                    paths[nxt] = [*paths[node], nxt]
                    queue.append(nxt)
    assert best, f"no cycle through {sorted(component)}"  # a strongly connected component always has one
    return best


def upward_imports(graph: dict[str, set[str]], layers: dict[str, int]) -> list[str]:
    out = []
    for module, targets in sorted(graph.items()):
        here = layer_of(module, layers)
        for target in sorted(targets):
            there = layer_of(target, layers)
            if here is not None and there is not None and there > here:
                out.append(f"{module} (layer {here}) imports {target} (layer {there})")
    return out


def _graph() -> dict[str, set[str]]:
    return import_graph(ROOT, PACKAGE)


# --- the generator ----------------------------------------------------------------------------------------
def test_the_import_graph_is_read() -> None:
    graph = _graph()
    # A few edges the code is known to have: a relative one, a lazy one inside a function, a parent's.
    assert "generator.problems" in graph["generator.load"]
    assert "generator.render.registry" in graph["generator.pipeline"]
    assert "generator.mock.server" in graph["generator.mock"]
    assert "generator" in graph["generator.render.cli"]  # from .. import __version__


def test_every_module_is_placed_in_a_layer() -> None:
    unplaced = sorted(m for m in _graph() if layer_of(m, LAYERS) is None)
    assert not unplaced, f"add these modules to LAYERS in {Path(__file__).name}: {unplaced}"


def test_no_import_cycles() -> None:
    known = set(KNOWN_CYCLES)
    found = [" -> ".join(cycle) for cycle in cycles(_graph()) if frozenset(cycle) not in known]
    assert not found, "import cycles:\n" + "\n".join(found)


def test_modules_import_only_from_their_own_or_lower_layers() -> None:
    found = upward_imports(_graph(), LAYERS)
    assert not found, "imports against the layer order:\n" + "\n".join(found)


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_module_is_too_long() -> None:
    long = {
        path.relative_to(ROOT).as_posix(): _lines(path)
        for path in module_files(ROOT, PACKAGE).values()
        if _lines(path) > MAX_LINES
    }
    found = {rel: n for rel, n in long.items() if rel not in LONG_MODULES}
    assert not found, f"modules over {MAX_LINES} lines (split them): {found}"


def test_the_allow_lists_hold_only_what_is_still_there() -> None:
    """So that a split or an untangled cycle also shrinks the allow-lists."""
    present = {frozenset(cycle) for cycle in cycles(_graph())}
    stale_cycles = [sorted(c) for c in KNOWN_CYCLES if c not in present]
    stale_long = sorted(rel for rel in LONG_MODULES if not (ROOT / rel).is_file() or _lines(ROOT / rel) <= MAX_LINES)
    assert not stale_cycles and not stale_long, (
        f"remove from KNOWN_CYCLES: {stale_cycles}; remove from LONG_MODULES: {stale_long}"
    )


# --- the checks themselves, on a small made-up package ----------------------------------------------------
def _package(tmp_path: Path, files: dict[str, str]) -> dict[str, set[str]]:
    for rel, text in files.items():
        path = tmp_path / "pkg" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return import_graph(tmp_path, "pkg")


def test_lazy_and_type_checking_imports_count_and_relative_ones_resolve(tmp_path: Path) -> None:
    graph = _package(tmp_path, {
        "__init__.py": "VERSION = '1'\n",
        "a.py": "def f():\n    from .sub import b\n",
        "sub/__init__.py": "from .b import g\n",
        "sub/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..c import h\n",
        "c.py": "import os\nfrom . import VERSION\nimport pkg.a\n",
    })
    assert graph == {
        "pkg": set(), "pkg.a": {"pkg.sub.b"}, "pkg.sub": {"pkg.sub.b"}, "pkg.sub.b": {"pkg.c"},
        "pkg.c": {"pkg", "pkg.a"},
    }
    assert cycles(graph) == [["pkg.a", "pkg.sub.b", "pkg.c", "pkg.a"]]


def test_layers_place_by_longest_prefix_and_catch_upward_imports() -> None:
    layers = {"pkg": 1, "pkg.low": 0, "pkg.high": 2, "pkg.high.base": 0}
    assert [layer_of(m, layers) for m in ("pkg", "pkg.low.x", "pkg.high", "pkg.high.base.y", "pkg.new")] == [
        1, 0, 2, 0, None,
    ]
    graph = {"pkg.low.x": {"pkg.high"}, "pkg.high": {"pkg.low.x", "pkg"}, "pkg": set()}
    assert upward_imports(graph, layers) == ["pkg.low.x (layer 0) imports pkg.high (layer 2)"]
