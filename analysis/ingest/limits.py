"""How much reading one upload may take: the worker's memory and time, and what follows from them.

Set by the environment (read on every call, so a test or an operator can change them):

- ``HOUSING_INGEST_MEMORY_MB`` (default 1024): memory the reading may take on top of a fresh worker;
- ``HOUSING_INGEST_SECONDS`` (default 30): wall time of the reading, from the file's bytes to the checked rows;
- ``HOUSING_INGEST_MAX_CELLS`` (default: the memory divided by :data:`BYTES_PER_CELL`): cells a workbook's
  sheets may span, counted from A1 to the farthest cell, as the reader allocates them.

>>> Limits(memory_mb=1024, seconds=30).max_cells
10737418
"""

from __future__ import annotations

import os
from dataclasses import dataclass

MEMORY_ENV = "HOUSING_INGEST_MEMORY_MB"
SECONDS_ENV = "HOUSING_INGEST_SECONDS"
CELLS_ENV = "HOUSING_INGEST_MAX_CELLS"
DEFAULT_MEMORY_MB = 1024
DEFAULT_SECONDS = 30.0
# what one cell costs from the bytes to the checked rows (calamine's block of 32-byte cells, the Python
# lists, the texts, the rows of the layout reader): measured on dense numeric and text sheets
BYTES_PER_CELL = 100
MAX_ROWS = 2_000_000
MAX_CELL_CHARS = 32_767  # Excel's own limit for the text of one cell
MAX_NAME_CHARS = 1_000  # a place or header cell longer than this is no name of anything


@dataclass(frozen=True)
class Limits:
    memory_mb: int = DEFAULT_MEMORY_MB
    seconds: float = DEFAULT_SECONDS
    cells: int | None = None  # None: follows the memory

    @property
    def memory_bytes(self) -> int:
        return self.memory_mb * 1024 * 1024

    @property
    def max_cells(self) -> int:
        return self.cells if self.cells is not None else self.memory_bytes // BYTES_PER_CELL

    @classmethod
    def from_env(cls) -> Limits:
        """The limits set in the environment; a value that is not a positive number keeps the default."""
        cells = _positive(os.environ.get(CELLS_ENV), int)
        return cls(
            memory_mb=_positive(os.environ.get(MEMORY_ENV), int) or DEFAULT_MEMORY_MB,
            seconds=_positive(os.environ.get(SECONDS_ENV), float) or DEFAULT_SECONDS,
            cells=cells,
        )


def _positive(text: str | None, kind: type):
    try:
        value = kind(text) if text else None
    except ValueError:
        return None
    return value if value and value > 0 else None
