"""House rules that keep the layers apart."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_analysis_never_imports_streamlit_ui_or_pages():
    for path in (REPO / "analysis").rglob("*.py"):
        assert not imported_modules(path) & {"streamlit", "ui", "pages"}, path


def test_importing_analysis_loads_no_streamlit():
    code = (
        "import sys, analysis.cli, analysis.metrics, analysis.store, analysis.ingest, analysis.demo; "
        "print('streamlit' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.strip() == "False"


def test_only_db_opens_duckdb():
    for path in (REPO / "analysis").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name != "db.py":
            assert "duckdb.connect(" not in text, path


def test_pages_and_ui_hold_no_sql():
    for path in [*(REPO / "pages").glob("*.py"), *(REPO / "ui").glob("*.py")]:
        text = path.read_text(encoding="utf-8").upper()
        assert "SELECT " not in text and "READ_PARQUET" not in text, path


def test_sql_values_are_named_parameters():
    for path in (REPO / "analysis" / "sql").rglob("*.sql"):
        text = path.read_text(encoding="utf-8")
        assert text.lstrip().startswith("--"), f"{path} must start with a comment naming grain and parameters"
        assert "{" not in text, f"{path}: no Python formatting in SQL"


def module_graph() -> dict[str, set[str]]:
    """analysis.* module → the analysis.* modules it imports (anywhere in the file, lazy imports included)."""
    root = REPO / "analysis"
    modules = {}
    for path in root.rglob("*.py"):
        rel = path.relative_to(REPO).with_suffix("")
        name = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        modules[name] = path
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, base] if base else parts)
                targets = [base] + [f"{base}.{a.name}" for a in node.names]
            for target in targets:
                if target in modules and target != name:
                    graph[name].add(target)
    return graph


def test_no_import_cycle_in_analysis():
    graph = module_graph()
    seen: dict[str, int] = {}  # 1 = on the stack, 2 = done
    stack: list[str] = []

    def visit(m: str) -> None:
        seen[m] = 1
        stack.append(m)
        for dep in sorted(graph[m]):
            if seen.get(dep) == 1:
                cycle = stack[stack.index(dep) :] + [dep]
                raise AssertionError("import cycle: " + " → ".join(cycle))
            if dep not in seen:
                visit(dep)
        stack.pop()
        seen[m] = 2

    for m in sorted(graph):
        if m not in seen:
            visit(m)


def test_db_is_at_the_bottom_and_pages_never_import_the_command_line():
    graph = module_graph()
    assert graph["analysis.db"] <= {"analysis.schema", "analysis.catalogue"}, graph["analysis.db"]
    for path in [*(REPO / "pages").glob("*.py"), *(REPO / "ui").glob("*.py"), REPO / "app.py"]:
        text = path.read_text(encoding="utf-8")
        assert "analysis.cli" not in text and "analysis import cli" not in text, path


def test_no_module_is_too_big_to_read_in_one_sitting():
    too_big = {}
    for path in [*(REPO / "analysis").rglob("*.py"), *(REPO / "ui").glob("*.py"), *(REPO / "pages").glob("*.py")]:
        n = len(path.read_text(encoding="utf-8").splitlines())
        if n > 420:
            too_big[str(path.relative_to(REPO))] = n
    assert not too_big, too_big
