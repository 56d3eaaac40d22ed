"""What a server does once, before its first visitor: the work the server's first page run would do.

- import the modules ``app.py`` and the pages import (read from their own import lines: nothing to keep in
  step);
- open the store's shared connection (:func:`ui.data.cursor`), read its provinces and months, and compute the
  default view (the first province with data, its latest month, 近12个月): 总览's headline figures and trend
  and the metrics at each level, through the same cached functions the pages call, so the first visitor's
  总览 finds them ready;
- draw that province's map once (Plotly builds its validators the first time a figure is made) and find the
  brief's font (a check of the font file, once per process).

:func:`start` runs it in a thread once Streamlit's runtime is up (``ui.server`` calls it), so that the cached
functions use the runtime's caches. A failure is logged and changes nothing: the first visitor then waits as
before. It is measured by ``bench/bench_pages.py`` (the first visit of each page).
"""

from __future__ import annotations

import ast
import importlib
import logging
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCRIPTS = (REPO / "app.py", *sorted((REPO / "pages").glob("*.py")))
OWN_PACKAGES = ("analysis", "ui")
LEVELS = ("province", "city", "county")
DONE = "warm-up done"

log = logging.getLogger(__name__)


def page_imports(scripts: tuple[Path, ...] = SCRIPTS) -> list[str]:
    """The project modules ``app.py`` and the pages import (``from analysis import charts`` gives
    ``analysis.charts``).

    >>> "ui.widgets" in page_imports() and "analysis.charts" in page_imports()
    True
    """
    found: set[str] = set()
    for path in scripts:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.update(f"{node.module}.{a.name}" for a in node.names)
                found.add(node.module)
    return sorted(m for m in found if m.split(".")[0] in OWN_PACKAGES and _is_module(m))


def _is_module(name: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def warm() -> None:
    """The work itself (see the module's docstring)."""
    for name in page_imports():
        importlib.import_module(name)
    from analysis import maps
    from ui import data

    ds = data.current()
    if not ds.version:
        return
    provinces = data.provinces_with_data(ds.data_dir, ds.version)
    periods = data.periods(ds.data_dir, ds.version)
    if not provinces or not periods:
        return
    from ui.sidebar import DEFAULT_WINDOW, Selection

    code, name = provinces[0]
    sel = Selection(data.DataState(ds.data_dir, ds.version), code, name, periods[-1], DEFAULT_WINDOW, tuple(periods))
    data.overview_figures(sel)  # 总览's cards: the month, the month before, a year before, by plan year
    data.province_monthly(sel)
    frames = {level: data.metrics_for(sel, level) for level in LEVELS}
    maps.province_by_city(frames["city"], code, color="destock_months").to_json()
    from analysis.brief import fonts

    try:  # the brief's font, checked once per process (总览 offers the brief)
        fonts.cjk_font_path()
    except fonts.FontMissing:
        pass


def start(wait_s: float = 60.0) -> threading.Thread:
    """Run :func:`warm` in a daemon thread as soon as Streamlit's runtime exists."""

    def run() -> None:
        from streamlit import runtime

        deadline = time.monotonic() + wait_s
        while not runtime.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        started = time.perf_counter()
        try:
            warm()
        except Exception:  # never the server's concern: the first visitor does the work instead
            log.exception("warm-up failed")
        else:  # in the server's log (bench/bench_pages.py waits for it: a warm server)
            print(f"{DONE} in {time.perf_counter() - started:.2f} s", file=sys.stderr, flush=True)

    thread = threading.Thread(target=run, name="warm-up", daemon=True)
    thread.start()
    return thread
