"""The rules of the code (issue 14), read from the package's source with ``ast``.

The layers themselves are import-linter's contracts in pyproject.toml (``lint-imports``).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from helpers import ROOT

PACKAGE = ROOT / "pipeline"
SOURCES = sorted(PACKAGE.rglob("*.py"))


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[ast.stmt, bool, list[str]]]:
    """(statement, inside a function, names it imports as modules or module.name)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if isinstance(child, ast.Import):
                out.append((child, in_function, [a.name for a in child.names]))
            elif isinstance(child, ast.ImportFrom) and child.module:
                out.append((child, in_function, [f"{child.module}.{a.name}" for a in child.names]))
            visit(child, inner)
    visit(tree, False)
    return out


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_function_level_imports_name_the_heavy_dependency_they_defer():
    """An import inside a function is a third-party module deferred for start-up time,
    with a comment on its line saying so; the package's own modules import at the top."""
    bad = []
    for path in SOURCES:
        lines = _lines(path)
        for stmt, in_function, _names in _imports(path):
            if not in_function:
                continue
            line = lines[stmt.lineno - 1]
            if "#" not in line:
                bad.append(f"{path.relative_to(PACKAGE.parent)}:{stmt.lineno}: {line.strip()}")
    assert not bad, "\n".join(bad)


def test_no_private_name_crosses_a_module():
    bad = []
    for path in SOURCES:
        for stmt, _, names in _imports(path):
            for name in names:
                if not name.startswith("pipeline"):
                    continue
                if any(part.startswith("_") and not part.startswith("__") for part in name.split(".")):
                    bad.append(f"{path.relative_to(PACKAGE.parent)}:{stmt.lineno}: {name}")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_no_module_runs_work_when_imported(path):
    """A module's top level defines things: no call of the package's own functions
    (constants built from literals, compiled patterns and decorators are fine)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = {a.asname or a.name.split(".")[-1]
           for stmt, in_function, _ in _imports(path) if not in_function
           for a in stmt.names
           if (getattr(stmt, "module", None) or a.name).startswith("pipeline")}
    calls = [node for stmt in tree.body if isinstance(stmt, ast.Expr)
             for node in [stmt.value] if isinstance(node, ast.Call)]
    names = [ast.unparse(c.func) for c in calls]
    assert not [n for n in names if n.split(".")[0] in own], names
