"""The capability graph of services/: which capability imports which, and any cycle.

    python -m tests.tools.import_graph

Every import counts, those under `if TYPE_CHECKING:` and inside functions included: a cycle hidden
from the interpreter is still a cycle for the reader. Exits 1 when there is a cycle.
tests/test_architecture.py runs the same check.
"""

from __future__ import annotations

import ast
import itertools
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ROOT / "services"
# Modules of services/ that are no capability: the composition root and the jobs it schedules.
WIRING = {"container", "scheduler", "__init__"}


def imported_modules(path: Path) -> Iterator[tuple[str, int]]:
    """Every absolute module `path` imports (with `from a import b`, also `a.b`), with its line."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, node.lineno
            for alias in node.names:
                yield f"{node.module}.{alias.name}", node.lineno


def capability_of(path: Path, root: Path = SERVICES) -> str | None:
    parts = path.relative_to(root).parts
    if len(parts) < 2:
        return None  # a module directly in services/
    return parts[0]


def capability_edges(root: Path = SERVICES) -> dict[str, dict[str, list[str]]]:
    """capability → the capabilities it imports → where (`file:line`)."""
    capabilities = sorted(p.name for p in root.iterdir() if (p / "__init__.py").exists())
    edges: dict[str, dict[str, list[str]]] = {name: {} for name in capabilities}
    for path in sorted(root.rglob("*.py")):
        source = capability_of(path, root)
        if source is None:
            continue
        for module, line in imported_modules(path):
            parts = module.split(".")
            if len(parts) < 2 or parts[0] != root.name or parts[1] not in edges:
                continue
            target = parts[1]
            if target != source:
                where = f"{path.relative_to(root.parent)}:{line}"
                places = edges[source].setdefault(target, [])
                if where not in places:
                    places.append(where)
    return edges


def cycles(edges: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """Each cycle once, as the capabilities along it (first repeated at the end)."""
    found: list[list[str]] = []
    seen: set[frozenset[str]] = set()

    def walk(node: str, path: list[str]) -> None:
        for target in sorted(edges.get(node, {})):
            if target in path:
                cycle = [*path[path.index(target) :], target]
                key = frozenset(cycle)
                if key not in seen:
                    seen.add(key)
                    found.append(cycle)
            else:
                walk(target, [*path, target])

    for start in sorted(edges):
        walk(start, [start])
    return found


def layers(edges: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """The capabilities in layers: each imports only those in the layers before it."""
    placed: list[list[str]] = []
    done: set[str] = set()
    left = set(edges)
    while left:
        layer = sorted(name for name in left if set(edges[name]) <= done)
        if not layer:  # a cycle: the rest cannot be layered
            placed.append(sorted(left))
            break
        placed.append(layer)
        done.update(layer)
        left.difference_update(layer)
    return placed


def main() -> int:
    edges = capability_edges()
    print("services/ capabilities, lowest first (each imports only those above it):")
    for number, layer in enumerate(layers(edges)):
        for name in layer:
            uses = ", ".join(sorted(edges[name])) or "-"
            print(f"  {number}  {name:<10} imports {uses}")
    found = cycles(edges)
    if not found:
        print("no cycle")
        return 0
    for cycle in found:
        print("cycle: " + " -> ".join(cycle))
        for source, target in itertools.pairwise(cycle):
            for where in edges[source][target]:
                print(f"    {source} -> {target}: {where}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
