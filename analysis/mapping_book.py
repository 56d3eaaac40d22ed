"""Saved mappings: the answers an analyst gave for a region's files of one kind, kept as versioned data in
the data dir (``mappings/<region_code>/<kind>/v0001.yaml`` …, never overwritten; the newest applies).

The next file from that region (the region chosen on the page or given by ``--region``, else the county
or city the file itself names) is read with the saved mapping first; the page's own answers go over it.
A mapping saved for a city applies to its counties' files too (the county's own, if any, wins).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from analysis.ingest.mapping import Mapping
from analysis.ingest.problems import RefusedFile
from analysis.regions import Registry

FOLDER = "mappings"


@dataclass(frozen=True)
class SavedMapping:
    region_code: str
    kind: str
    version: int
    saved_at: str
    by: str
    mapping: Mapping
    path: Path


class MappingBook:
    def __init__(self, data_dir: str | Path) -> None:
        self.root = Path(data_dir) / FOLDER

    def versions(self, region_code: str, kind: str) -> list[SavedMapping]:
        folder = self.root / region_code / kind
        if not folder.is_dir():
            return []
        out = []
        for path in sorted(folder.glob("v*.yaml")):
            try:
                out.append(self._read(path, region_code, kind))
            except (OSError, ValueError, RefusedFile, yaml.YAMLError):
                continue  # a damaged file is skipped, never applied half-read
        return out

    def latest(self, region_code: str, kind: str) -> SavedMapping | None:
        found = self.versions(region_code, kind)
        return found[-1] if found else None

    def for_region(self, region_code: str | None, kind: str, registry: Registry) -> SavedMapping | None:
        """The mapping that applies to a file from ``region_code``: its own, else its city's, else its province's."""
        code = region_code
        while code:
            saved = self.latest(code, kind)
            if saved is not None:
                return None if saved.mapping.is_empty else saved
            region = registry.regions.get(code)
            code = region.parent_code if region is not None else None
        return None

    def all(self) -> list[SavedMapping]:
        """The newest mapping of every region and kind."""
        if not self.root.is_dir():
            return []
        out = []
        for region_dir in sorted(p for p in self.root.iterdir() if p.is_dir()):
            for kind_dir in sorted(p for p in region_dir.iterdir() if p.is_dir()):
                saved = self.latest(region_dir.name, kind_dir.name)
                if saved is not None:
                    out.append(saved)
        return out

    def save(self, region_code: str, kind: str, mapping: Mapping, by: str = "") -> SavedMapping:
        """A new version (an empty mapping stops the region's files being mapped automatically)."""
        folder = self.root / region_code / kind
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        existing = self.versions(region_code, kind)
        version = (existing[-1].version if existing else 0) + 1
        saved_at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        body = {"region": region_code, "kind": kind, "version": version, "saved": saved_at, "by": by}
        body.update(mapping.as_dict())
        text = yaml.safe_dump(body, allow_unicode=True, sort_keys=False)
        path = folder / f"v{version:04d}.yaml"
        fd, tmp = tempfile.mkstemp(prefix=".v", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)  # never replaces a version someone saved at the same moment
        except FileExistsError:
            os.unlink(tmp)
            return self.save(region_code, kind, mapping, by)
        os.unlink(tmp)
        return self._read(path, region_code, kind)

    def _read(self, path: Path, region_code: str, kind: str) -> SavedMapping:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        mapping = Mapping.from_dict(raw, kind)
        return SavedMapping(
            region_code,
            kind,
            int(raw.get("version", 0)),
            str(raw.get("saved", "")),
            str(raw.get("by", "")),
            mapping,
            path,
        )


def submitting_region(result, registry: Registry) -> str | None:
    """The region a file comes from, by its rows: the one county, else their one city, else their province."""
    codes = sorted({c for c in result.frame.region_code.dropna().unique() if c in registry.regions})
    for question in result.questions:  # a file whose places are still asked about says nothing yet
        if question.about == "place" and question.blocking:
            return None
    if not codes:
        return None
    if len(codes) == 1:
        return codes[0]
    cities = {registry.get(c).parent_code for c in codes}
    if len(cities) == 1:
        return cities.pop()
    provinces = {registry.get(c).province_code for c in codes}
    return provinces.pop() if len(provinces) == 1 else None


def read_with_saved(read, book: MappingBook, registry: Registry, *, kind, region, given: Mapping | None = None):
    """``read(mapping)`` with the mapping saved for the submitting region (found from ``region`` or, when none
    is given, from a first reading of the file) under the analyst's own ``given`` answers.

    Returns ``(result, saved)`` where ``saved`` is the :class:`SavedMapping` applied (or None)."""
    given = given or Mapping()
    code = registry.match_any(region) if region else None
    saved = book.for_region(code, kind, registry) if code and kind else None
    result = read(saved.mapping.merged(given) if saved else given)
    if saved is None and not code:
        found = submitting_region(result, registry)
        saved = book.for_region(found, result.kind, registry) if found else None
        if saved is None:
            saved = _answering(book, result)
        if saved is not None:
            result = read(saved.mapping.merged(given))
    return result, saved


def _answering(book: MappingBook, result) -> SavedMapping | None:
    """The one saved mapping that answers a file's open place questions (a title's 城区 settled last month)."""
    asked = [q.written for q in result.open_questions if q.about == "place"]
    if not asked:
        return None
    fits = [s for s in book.all() if s.kind == result.kind and all(s.mapping.place(w) for w in asked)]
    return fits[0] if len({tuple(sorted(s.mapping.places.items())) for s in fits}) == 1 else None
