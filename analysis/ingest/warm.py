"""Imported once by the reading worker's forkserver (:mod:`analysis.ingest.worker`), never by the app:
the reader, pandas and the region registry are then in memory in every child it forks, and Arrow
allocates through the C library (see below).

The parent's main script (``HOUSING_INGEST_PARENT_MAIN``, e.g. ``streamlit``'s) is imported here as
multiprocessing means to when ``__main__`` is preloaded (CPython 3.11's forkserver never receives its path):
each child then finds it in place instead of running it again before it reads a file.
"""

from __future__ import annotations

import os

import pyarrow
import python_calamine  # noqa: F401

from analysis.ingest import ingest  # noqa: F401
from analysis.regions import load_registry

load_registry()
# Arrow's mimalloc reserves address space in 1 GiB blocks, which the worker's memory limit (RLIMIT_AS)
# counts as used: pandas' Arrow strings use the C library's allocator here (also set by the environment)
pyarrow.set_memory_pool(pyarrow.system_memory_pool())
if os.environ.get("HOUSING_INGEST_PARENT_MAIN"):
    from multiprocessing import process, spawn

    process.current_process()._inheriting = True  # the script may not start processes while imported
    try:
        spawn.import_main_path(os.environ["HOUSING_INGEST_PARENT_MAIN"])
    finally:
        del process.current_process()._inheriting
