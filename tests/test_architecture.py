"""The direction of dependencies: desktop -> views -> models.

``models/`` never imports PySide6 (nor views/desktop), so it works from the command line
and in tests without Qt; ``views/`` never imports sqlalchemy or the ORM, it gets
services and plain result objects.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(package: str) -> dict[str, set[str]]:
    """For each source file of ``package``, the modules it imports (at any depth of the file)."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = names
    return found


def offenders(package: str, forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    bad = {}
    for file, names in imported_modules(package).items():
        hits = sorted(n for n in names if any(n == f or n.startswith(f + ".") for f in forbidden))
        if hits:
            bad[file] = hits
    return bad


def test_models_source_never_imports_qt_or_upper_layers():
    assert offenders("models", ("PySide6", "shiboken6", "PyQt5", "PyQt6", "views", "desktop")) == {}


def test_importing_every_model_module_loads_no_qt():
    code = (
        "import importlib, json, pkgutil, sys\n"
        "import models\n"
        "names = [m.name for m in pkgutil.walk_packages(models.__path__, 'models.')\n"
        "         if '.migrations' not in m.name]\n"
        "for n in names: importlib.import_module(n)\n"
        "print(json.dumps({'modules': names,\n"
        "  'qt': sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    result = json.loads(out.stdout)
    assert {
        "models.rules",
        "models.placements",
        "models.occupancy",
        "models.schema",
        "models.database",
    } <= set(result["modules"])
    assert result["qt"] == []


def test_views_never_import_sqlalchemy_or_the_orm():
    assert (
        offenders(
            "views",
            ("sqlalchemy", "alembic", "models.entities", "models.database", "models.schema"),
        )
        == {}
    )


def test_importing_every_view_loads_no_sqlalchemy():
    """Not even indirectly: a view that imports a model module that imports SQLAlchemy
    (models.backend, models.rules, ...) would tie the screens to the ORM. Annotations
    name such modules under ``TYPE_CHECKING`` only."""
    code = (
        "import importlib, json, os, pkgutil, sys\n"
        "os.environ.setdefault('QT_QPA_PLATFORM', 'offscreen')\n"
        "import views\n"
        "names = [m.name for m in pkgutil.walk_packages(views.__path__, 'views.')]\n"
        "for n in names: importlib.import_module(n)\n"
        "print(json.dumps({'modules': names,\n"
        "  'loaded': sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic')\n"
        "                   or m in ('models.entities', 'models.database', 'models.backend'))}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    result = json.loads(out.stdout)
    assert {"views.main_window", "views.dashboard", "views.people_page"} <= set(result["modules"])
    assert result["loaded"] == []


def test_views_never_import_the_desktop_layer_above_them():
    """desktop/ wires views; a view that reached up into desktop/ could not be reused or tested alone."""
    assert offenders("views", ("desktop",)) == {}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph(package: str) -> dict[str, set[str]]:
    """For each module of ``package``, the modules of ``package`` it imports: at any depth
    of the file (inside functions too), absolute or relative."""
    paths = {module_name(p): p for p in sorted((ROOT / package).rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        targets: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    # A module's own package is the base of "."; a package is its own.
                    base = name.split(".")
                    base = base[: len(base) - node.level + (1 if is_package else 0)]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                targets.add(source)
                # ``from desktop import cli`` imports the module desktop.cli.
                targets.update(f"{source}.{alias.name}" for alias in node.names)
        graph[name] = {t for t in targets if t in paths and t != name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle of ``graph`` as the list of its modules (first one repeated at the end),
    or [] when there is none."""
    done: set[str] = set()
    path: list[str] = []

    def visit(node: str) -> list[str]:
        if node in path:
            return path[path.index(node) :] + [node]
        if node in done:
            return []
        path.append(node)
        for nxt in sorted(graph[node]):
            cycle = visit(nxt)
            if cycle:
                return cycle
        path.pop()
        done.add(node)
        return []

    for start in sorted(graph):
        cycle = visit(start)
        if cycle:
            return cycle
    return []


def test_the_graph_sees_imports_inside_functions_and_relative_ones():
    graph = import_graph("desktop")
    assert "desktop.paths" in graph["desktop.crash"]  # inside a function
    assert "desktop.cli_print" in graph["desktop.cli"]  # from desktop import cli_print
    assert "desktop.printing.template" in graph["desktop.printing.occupancy_sheet"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []


def test_desktop_modules_import_one_another_without_a_cycle():
    """A cycle (even through an import inside a function) means neither module can be read,
    changed or tested without the other; the shared part belongs in a module of its own."""
    cycle = find_cycle(import_graph("desktop"))
    assert cycle == [], " -> ".join(cycle)
