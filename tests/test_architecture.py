"""The import directions: services/ knows no edge, api/ never imports bot/, the command-line
client imports no server code, and the capabilities inside services/ import each other without
a cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.tools.import_graph import WIRING, capability_edges, cycles

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "services": ("aiogram", "aiohttp.web", "bot", "api"),
    "api": ("bot",),
    "bot": ("api",),
    # A script's tool: it starts at once because it loads no server code (and no aiogram).
    "client": ("services", "api", "bot", "aiogram", "tortoise", "ftpgram"),
}


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            # `from aiohttp import web` imports aiohttp.web.
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def violations(package: str) -> list[str]:
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for name in imports_of(path):
            for banned in FORBIDDEN[package]:
                if name == banned or name.startswith(banned + "."):
                    found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_layers_import_only_downwards(package: str) -> None:
    assert (ROOT / package).is_dir()
    assert violations(package) == []


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("from aiohttp import web\nimport aiogram.types\n")
    assert {"aiohttp.web", "aiogram.types"} <= imports_of(probe)


def test_capabilities_import_each_other_without_a_cycle() -> None:
    edges = capability_edges()
    assert {"core", "accounts", "storage", "stations", "downloads", "messaging"} <= set(edges)
    assert cycles(edges) == []
    assert edges["core"] == {}, "core imports no capability"


def test_services_holds_capabilities_and_the_wiring_only() -> None:
    loose = {p.stem for p in (ROOT / "services").glob("*.py")} - WIRING
    assert loose == set(), "each module belongs to a capability package"


def test_the_cycle_finder_sees_a_cycle_hidden_behind_type_checking(tmp_path: Path) -> None:
    root = tmp_path / "services"
    for name, source in {
        "alpha": "from services.beta.thing import B\n",
        "beta": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from services.alpha.thing import A\n",
    }.items():
        (root / name).mkdir(parents=True)
        (root / name / "__init__.py").write_text("")
        (root / name / "thing.py").write_text(source)
    assert cycles(capability_edges(root)) == [["alpha", "beta", "alpha"]]
