"""The house rules, checked over the source (docs/architecture.md explains them):

- arrows point down: each stage imports only stages below it (or itself);
- only ``ui/``, the page files and ``dashboard.py`` import Streamlit;
- only ``db/`` executes SQL (``execute``, ``sql``, ``duckdb.connect``);
- no import cycle between modules, no module over 400 lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "dortmund_kpi"
# Lower stages first; a module may import its own stage and any stage below it.
RANKS = {"": 0, "db": 1, "ingest": 2, "views": 3, "share": 4, "ui": 5, "ops": 5}
STREAMLIT_HOMES = ("dortmund_kpi/ui/", "screens/", "dashboard.py")
SQL_CALLS = {"execute", "executemany", "sql"}
MAX_LINES = 400


def _product_files() -> list[Path]:
    files = sorted(PACKAGE.rglob("*.py")) + sorted((ROOT / "screens").glob("*.py"))
    return [*files, ROOT / "dashboard.py"]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports (also inside functions), as absolute dotted names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{path}:{node.lineno}: relative import"
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def _stage(module: str) -> str | None:
    """The stage of a product module (``""`` for the shared vocabulary at the root)."""
    parts = module.split(".")
    if parts[0] != "dortmund_kpi":
        return None
    if len(parts) > 1 and parts[1] in RANKS:
        return parts[1]
    return ""


def _known(module: str) -> bool:
    path = ROOT / Path(*module.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def test_arrows_point_down():
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "__main__.py":  # ``python -m dortmund_kpi`` is the command line
            continue
        source = _stage(_module_name(path))
        for line, target in _imports(path):
            stage = _stage(target)
            if stage is None or stage == source or not _known(target):
                continue
            if RANKS[stage] >= RANKS[source]:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    assert wrong == []


def test_only_the_ui_imports_streamlit():
    wrong = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _product_files()
        if not str(path.relative_to(ROOT)).startswith(STREAMLIT_HOMES)
        for line, target in _imports(path)
        if target.split(".")[0] == "streamlit"
    ]
    assert wrong == []


def test_only_db_executes_sql():
    wrong = []
    for path in _product_files():
        if str(path.relative_to(ROOT)).startswith("dortmund_kpi/db/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            owner = node.func.value
            connect = node.func.attr == "connect" and getattr(owner, "id", "") == "duckdb"
            if node.func.attr in SQL_CALLS or connect:
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.func.attr}")
    assert wrong == []


def test_no_import_cycles():
    graph = {
        _module_name(path): {
            target
            for _, target in _imports(path)
            if target.startswith("dortmund_kpi") and _known(target)
        }
        for path in PACKAGE.rglob("*.py")
    }
    for module, targets in graph.items():  # a package's __init__ is not a dependency
        graph[module] = {t for t in targets if t != module and not module.startswith(t + ".")}
    state: dict[str, int] = {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                pytest.fail("import cycle: " + " -> ".join([*trail, module, target]))
            if target not in state:
                visit(target, [*trail, module])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [])


def test_modules_stay_small():
    long = {
        str(path.relative_to(ROOT)): n
        for path in _product_files()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
