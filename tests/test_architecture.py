"""The import directions: services/ knows no edge, api/ never imports bot/, the command-line
client imports no server code, and the capabilities inside services/ import each other without
a cycle. And the layout of the tests: each test module in the folder of what it tests, sharing
helpers through tests/support/ only, never importing another test module or a conftest."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support.paths import ROOT
from tests.tools.import_graph import WIRING, capability_edges, cycles

TESTS = ROOT / "tests"
# Folders of tests/ that hold no tests: the shared harness and helpers, scripts, benchmarks.
NOT_TESTS = {"support", "tools", "bench"}
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


def module_name(path: Path, root: Path) -> list[str]:
    """The dotted name of the module at `path`, as parts (a package is its __init__.py)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def imported_modules(path: Path, root: Path = ROOT) -> set[str]:
    """Every module `path` imports, relative imports resolved; `from x import y` counts x.y too
    (y may be a module)."""
    names: set[str] = set()
    package = module_name(path, root)
    if path.name != "__init__.py":
        package = package[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def is_test_module(name: str) -> bool:
    """tests.test_x, tests.<folder>.test_x, or a conftest: what no module imports (a fixture
    goes in a conftest.py, a helper in tests/support/)."""
    parts = name.split(".")
    return parts[0] == "tests" and any(p.startswith("test_") or p == "conftest" for p in parts[1:])


def forbidden_imports(path: Path, root: Path = ROOT) -> list[str]:
    return sorted(name for name in imported_modules(path, root) if is_test_module(name))


def test_no_module_under_tests_imports_a_test_module_or_a_conftest() -> None:
    found = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted(TESTS.rglob("*.py"))
        for name in forbidden_imports(path)
    ]
    assert found == []


def test_the_test_import_checker_sees_every_spelling(tmp_path: Path) -> None:
    folder = tmp_path / "tests" / "downloads"
    folder.mkdir(parents=True)
    probe = folder / "test_probe.py"
    probe.write_text(
        "import tests.test_stations\n"
        "from tests.conftest import make_user\n"
        "from tests.downloads.test_downloads import blob\n"
        "from tests.downloads import test_downloads\n"
        "from .test_worker import worker\n"
        "from . import conftest\n"
        "from ..stations.test_stations import put\n"
        "from tests.support.data import blob as shared\n"
        "from tests.tools.import_graph import cycles\n"
        "from ..support.people import bearer\n"
    )
    assert forbidden_imports(probe, tmp_path) == [
        "tests.conftest",
        "tests.conftest.make_user",
        "tests.downloads.conftest",
        "tests.downloads.test_downloads",
        "tests.downloads.test_downloads.blob",
        "tests.downloads.test_worker",
        "tests.downloads.test_worker.worker",
        "tests.stations.test_stations",
        "tests.stations.test_stations.put",
        "tests.test_stations",
    ]


def test_every_test_module_lives_in_a_folder() -> None:
    assert [p.name for p in TESTS.glob("test_*.py")] == ["test_architecture.py"]
    for path in sorted(TESTS.rglob("test_*.py")):
        folders = path.relative_to(TESTS).parts[:-1]
        if not folders:
            continue
        where = path.relative_to(ROOT)
        assert folders[0] not in NOT_TESTS, f"{where}: {folders[0]}/ holds no tests"
        # Packages all the way down: modules of the same name in two folders do not clash.
        for depth in range(1, len(folders) + 1):
            package = TESTS.joinpath(*folders[:depth])
            assert (package / "__init__.py").is_file(), f"{where}: {package} is not a package"
