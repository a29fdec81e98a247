"""The layout rules of app/ that a machine can check (the import layers are import-linter's, in pyproject.toml)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import grimp
import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"
MAX_LINES = 400


def _modules():
    return sorted(p for p in APP.rglob("*.py") if "translations" not in p.parts)


def test_no_import_cycles_in_app():
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph("app")
    edges = nx.DiGraph()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            if imported.startswith("app."):
                edges.add_edge(module, imported)
    cycles = list(nx.simple_cycles(edges))
    assert not cycles, f"import cycles: {cycles[:5]}"


def test_no_module_in_app_is_over_400_lines():
    long = {str(p.relative_to(ROOT)): n for p in _modules() if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert not long, long


def test_imports_sit_at_the_top_of_every_module():
    """A function-local import hides a dependency (and, before, cycles); allowed only with a written reason."""
    hidden = []
    for path in _modules():
        source = path.read_text()
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and node.col_offset > 0:
                if "# local import:" not in lines[node.lineno - 1]:
                    hidden.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not hidden, hidden


def test_every_blueprint_package_declares_its_routes_in_its_init():
    """Routes are a table in each blueprint's __init__.py, never decorators scattered over view modules."""
    scattered = [str(p.relative_to(ROOT)) for p in _modules()
                 if p.name != "__init__.py" and ("@bp.route" in p.read_text() or "@bp.get" in p.read_text())]
    assert not scattered, scattered
