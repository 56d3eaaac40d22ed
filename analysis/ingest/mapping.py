"""The analyst's answers to what the reader could not settle: which canonical column a header is, what a
value means, which county a name is. One mapping is applied while a file is read (headers, values and
places), so the file is checked again with it; a mapping saved for a submitting region and kind is
applied to the next file from that region automatically.

As a file (``import --mapping FILE``, YAML or JSON; the page writes the same form)::

    columns:            # header as written → canonical column, or ignore
      面积: original_area_m2
      备用: ignore
    values:             # canonical column → value as written → canonical value (unknown: stored as unknown)
      channel: {购买商品房: platform_purchase}
    places:             # name as written → region code
      城区: "140302"

>>> m = Mapping.from_dict({"columns": {"面积": "original_area_m2"}, "places": {"城区": 140302}})
>>> m.column("面积"), m.place("城区"), m.is_empty
('original_area_m2', '140302', False)
>>> Mapping.answering({("value", "mode", "货币"): "monetized", ("column", "", "备 用"): "ignore"}).as_dict()
{'columns': {'备用': 'ignore'}, 'values': {'mode': {'货币': 'monetized'}}}
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import yaml

from analysis.catalogue import columns as catalogue_columns
from analysis.ingest.problems import RefusedFile
from analysis.schema import ENUMS, TABLES

MAX_MAPPING_CHARS = 200_000  # a mapping of every column, value and place of a roll is a few KB
IGNORE = "ignore"  # a column that holds nothing the product keeps
UNKNOWN = "unknown"  # a descriptive value stored as not known


@dataclass(frozen=True)
class Mapping:
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (self.columns or self.values or self.places)

    def column(self, written: str) -> str | None:
        return self.columns.get(_norm(written))

    def value(self, column: str, written: str) -> str | None:
        return self.values.get(column, {}).get(_norm(written))

    def place(self, written: str) -> str | None:
        return self.places.get(_norm(written))

    def merged(self, newer: Mapping) -> Mapping:
        """This mapping with ``newer``'s answers over it (the page's choices over a saved mapping)."""
        values = {c: dict(v) for c, v in self.values.items()}
        for c, v in newer.values.items():
            values.setdefault(c, {}).update(v)
        return Mapping({**self.columns, **newer.columns}, values, {**self.places, **newer.places})

    @classmethod
    def answering(cls, choices: dict[tuple[str, str, str], str | None]) -> Mapping:
        """The mapping that answers questions: ``(about, column, written) → choice`` as the page collects them
        (a question's :attr:`~analysis.ingest.problems.Question.key`); an unanswered one (None) is left out."""
        columns: dict[str, str] = {}
        values: dict[str, dict[str, str]] = {}
        places: dict[str, str] = {}
        for (about, column, written), choice in choices.items():
            if choice is None:
                continue
            if about == "column":
                columns[_norm(written)] = choice
            elif about == "value":
                values.setdefault(column, {})[_norm(written)] = choice
            elif about == "place":
                places[_norm(written)] = choice
        return cls(columns, values, places)

    def as_dict(self) -> dict:
        out: dict = {}
        if self.columns:
            out["columns"] = dict(self.columns)
        if self.values:
            out["values"] = {c: dict(v) for c, v in self.values.items() if v}
        if self.places:
            out["places"] = dict(self.places)
        return out

    @classmethod
    def from_dict(cls, raw: object, kind: str | None = None) -> Mapping:
        """A mapping from its file form, every entry checked; a bad one refused in Chinese."""
        if raw is None:
            return cls()
        if not isinstance(raw, dict):
            raise RefusedFile("映射文件应为键值表（columns、values、places）")
        unknown = set(raw) - {"columns", "values", "places", "kind", "region", "saved", "by", "version"}
        if unknown:
            raise RefusedFile(
                f"映射文件中有无法识别的项：{'、'.join(map(str, sorted(unknown)))}（可用 columns、values、places）"
            )
        allowed = set(TABLES[kind].column_names) if kind else {c for t in TABLES.values() for c in t.column_names}
        allowed |= {"region_name", IGNORE}
        cols: dict[str, str] = {}
        for written, col in _pairs(raw.get("columns"), "columns"):
            if col not in allowed:
                raise RefusedFile(f"映射文件 columns 中「{written}」对应的「{col}」不是可用的列名（或 ignore）")
            cols[_norm(written)] = col
        values: dict[str, dict[str, str]] = {}
        for col, table in _pairs(raw.get("values"), "values", nested=True):
            if col not in ENUMS and col != "is_hardship":
                choices = "、".join(sorted([*ENUMS, "is_hardship"]))
                raise RefusedFile(f"映射文件 values 中的「{col}」不是有取值表的列（可用：{choices}）")
            for written, value in _pairs(table, f"values.{col}"):
                value = value.lower() if col == "is_hardship" else value
                if value not in (*ENUMS.get(col, ("true", "false")), UNKNOWN):
                    raise RefusedFile(f"映射文件 values.{col} 中「{written}」对应的「{value}」不是可用取值")
                values.setdefault(col, {})[_norm(written)] = value
        places: dict[str, str] = {}
        for written, code in _pairs(raw.get("places"), "places"):
            code = str(code).strip()
            if not (len(code) == 6 and code.isdigit()):
                raise RefusedFile(f"映射文件 places 中「{written}」对应的「{code}」应为 6 位行政区划代码")
            places[_norm(written)] = code
        return cls(cols, values, places)

    @classmethod
    def parse(cls, text: str, kind: str | None = None) -> Mapping:
        """A mapping file's text, JSON or YAML."""
        if len(text) > MAX_MAPPING_CHARS:
            raise RefusedFile(f"映射文件过大（{len(text):,} 个字符，上限 {MAX_MAPPING_CHARS:,}）")
        try:
            if not text.lstrip().startswith("{") and any(isinstance(e, yaml.AliasEvent) for e in yaml.parse(text)):
                raise RefusedFile("映射文件中不能使用 YAML 的锚点和别名（&、*）：请直接写出每一项")
            raw = json.loads(text) if text.lstrip().startswith("{") else yaml.safe_load(text)
        except (ValueError, yaml.YAMLError) as exc:
            raise RefusedFile(f"映射文件无法解析（应为 YAML 或 JSON）：{_where(exc)}") from None
        return cls.from_dict(raw, kind)

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.as_dict(), allow_unicode=True, sort_keys=False)


def _norm(text: object) -> str:
    return "".join(str(text).split())


def _pairs(raw: object, where: str, nested: bool = False) -> list[tuple[str, object]]:
    if raw is None:
        return []
    if not isinstance(raw, dict):
        raise RefusedFile(f"映射文件的 {where} 应为键值表")
    out = []
    for k, v in raw.items():
        if nested and not isinstance(v, dict):
            raise RefusedFile(f"映射文件的 {where}.{k} 应为键值表")
        out.append((str(k), v if nested else str(v).strip()))
    return out


def _where(exc: Exception) -> str:
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        return f"第 {mark.line + 1} 行"
    return "格式不对"


def column_label(col: str) -> str:
    """A choice of a column question as people read it: ``原住房面积``; 不导入 for ignore."""
    if col == IGNORE:
        return "不导入（忽略此列）"
    spec = catalogue_columns().get(col)
    return spec.label if spec else col
