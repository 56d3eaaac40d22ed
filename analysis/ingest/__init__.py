"""Spreadsheet ingestion: bytes → canonical rows + every problem found (nothing is written here).

>>> from analysis.regions import load_registry
>>> result = ingest(b"region_code,year,planned_households\\n140105,2016,1200\\n", "p.csv", load_registry())
>>> result.kind, result.ok, int(result.frame.planned_households[0])
('plans', True, 1200)
"""

from __future__ import annotations

import pandas as pd

from analysis.catalogue import kind_label
from analysis.ingest.layout import header_columns, read_tables
from analysis.ingest.limits import Limits
from analysis.ingest.mapping import Mapping
from analysis.ingest.privacy import fingerprint
from analysis.ingest.problems import IngestResult, Problem, Question, RefusedFile, SourceTable
from analysis.ingest.reader import read_sheets
from analysis.ingest.validate import validate
from analysis.ingest.values import CellError, parse_period
from analysis.regions import Registry
from analysis.schema import TABLES

__all__ = ["IngestResult", "Mapping", "Problem", "Question", "RefusedFile", "SourceTable", "detect_kind", "ingest"]

# columns that tell the kinds apart when the user does not say which kind a file is
SIGNATURE = {
    "inventory": ("saleable_area_m2", "sold_area_m2", "saleable_units", "sold_units"),
    "households": (
        "mode",
        "compensation_yuan",
        "status",
        "original_area_m2",
        "channel",
        "category",
        "household_id",
        "hazard_grade",
        "seismic_intensity",
    ),
    "plans": ("planned_households", "target_monetised_share"),
}


def detect_kind(columns_by_kind: dict[str, list[set[str]]]) -> str | None:
    """The kind whose telling columns the file has most of (then: most columns recognised)."""
    scores = {
        kind: (sum(len(cols & set(SIGNATURE[kind])) for cols in found), sum(len(cols) for cols in found))
        for kind, found in columns_by_kind.items()
    }
    best = max(scores, key=scores.get)
    return best if scores[best][0] > 0 else None


def ingest(
    data: bytes,
    file_name: str,
    registry: Registry,
    *,
    kind: str | None = None,
    region: str | None = None,
    period: str | None = None,
    id_key: bytes | None = None,
    limits: Limits | None = None,
    mapping: Mapping | None = None,
) -> IngestResult:
    """Read and validate a file; raises :class:`RefusedFile` when it cannot be read at all.

    ``id_key`` is the installation's secret for household ids made from personal columns
    (:func:`analysis.ingest.privacy.id_key`); without it such ids differ from one import to the next.
    ``limits`` bound what the file may take (default: the environment's, :mod:`analysis.ingest.limits`);
    the page and the command line call this through :func:`analysis.ingest.worker.ingest_bounded`.
    ``mapping`` holds the analyst's answers to earlier questions (:mod:`analysis.ingest.mapping`).
    """
    sheets = read_sheets(data, file_name, limits)
    if kind is not None and kind not in TABLES:
        raise RefusedFile(f"未知的数据类型「{kind}」：可选 inventory（库存）、households（花名册）、plans（计划）")
    context = registry.match_any(region) if region else None
    if region and context is None:
        raise RefusedFile(f"无法识别指定的地区「{region}」")
    if period:
        try:
            period = parse_period(period)  # 2016-06, 2016/6, 2016年6月: one form in the store
        except CellError:
            period = None
        if period is None:
            raise RefusedFile("指定的统计月份无法识别：应为 2016-06 或 2016年6月")
    if kind is None:
        kind = detect_kind({k: header_columns(sheets, k, context, mapping) for k in TABLES})
        if kind is None:
            raise RefusedFile("无法判断文件类型：没有找到可识别的表头。请选择数据类型，或使用模板")
    questions: list[Question] = []
    tables, dropped, notes = read_tables(
        sheets, kind, registry, file_name=file_name, region=context, id_key=id_key, mapping=mapping, questions=questions
    )
    if not tables and questions:  # a table the analyst can settle (which 城区?): the question, not a refusal
        frame = pd.DataFrame(columns=TABLES[kind].column_names)
        result = IngestResult(kind, file_name, frame, notes, questions=questions, mapping=mapping)
        result.dropped_personal = sorted(set(dropped))
        return result
    if not tables:
        raise RefusedFile(
            f"没有找到{kind_label(kind)}表的表头：表头中应有地区（县区）列和至少一项指标列，请对照模板检查列名",
            notes or None,
        )
    result = validate(
        kind,
        tables,
        registry,
        file_name=file_name,
        region=context,
        period=period,
        problems=notes,
        mapping=mapping,
        questions=questions,
    )
    result.dropped_personal = sorted(set(dropped))
    result.id_key_fingerprint = fingerprint(id_key) if id_key else ""
    if context:
        result.problems.extend(_outside(result, registry, context))
    return result


def _outside(result: IngestResult, registry: Registry, context: str) -> list[Problem]:
    """The region the analyst chose against the places the file names: a warning when they disagree."""
    codes = result.frame.region_code.dropna() if "region_code" in result.frame else pd.Series(dtype=object)
    away = sorted({c for c in codes.unique() if c in registry.regions and not registry.is_under(c, context)})
    if not away:
        return []
    n = int(codes.isin(away).sum())
    names = "、".join(registry.name(c) for c in away[:5]) + ("等" if len(away) > 5 else "")
    return [
        Problem(
            "", None, "", registry.name(context),
            f"指定的所属地区是{registry.name(context)}，但文件中有 {n:,} 行属于{names}（不在{registry.name(context)}内）："
            "请确认所属地区选得对，或文件是否选错",
            "warning",
        )
    ]  # fmt: skip
