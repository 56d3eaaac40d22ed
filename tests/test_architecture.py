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
