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
    assert {"models.services", "models.queries", "models.schema", "models.database"} <= set(
        result["modules"]
    )
    assert result["qt"] == []


def test_views_never_import_sqlalchemy_or_the_orm():
    assert (
        offenders(
            "views",
            ("sqlalchemy", "alembic", "models.entities", "models.database", "models.schema"),
        )
        == {}
    )


def test_views_never_import_the_desktop_layer_above_them():
    """desktop/ wires views; a view that reached up into desktop/ could not be reused or tested alone."""
    assert offenders("views", ("desktop",)) == {}
