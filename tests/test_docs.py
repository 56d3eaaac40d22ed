"""Only true text: every docstring example in analysis/ and ui/ runs and gives what it shows."""

from __future__ import annotations

import doctest
import importlib
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
MODULES = sorted(
    ".".join(p.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
    for p in [*(REPO / "analysis").rglob("*.py"), *(REPO / "ui").glob("*.py")]
    if p.name != "__main__.py"
)


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed"


def test_the_readme_points_only_at_what_a_clone_has():
    """A fresh clone has no ../shared: every file the README names as an example ships in the repository."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "../shared" not in readme
    for name in re.findall(r"tests/files/office/[\w.]+\.(?:xlsx|xls|csv)", readme):
        assert (Path(__file__).resolve().parents[1] / name).is_file(), name
