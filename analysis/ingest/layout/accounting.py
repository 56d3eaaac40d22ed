"""Nothing silently lost: every column of a table that holds data is mapped, known to be ignorable, or
asked about (its header as written and its first values), before a single row is kept."""

from __future__ import annotations

import re

from analysis.catalogue import columns as catalogue_columns
from analysis.ingest.layout.header import Header
from analysis.ingest.layout.scoring import decide, is_ignorable, is_known_value, rank
from analysis.ingest.mapping import IGNORE, column_label
from analysis.ingest.problems import Problem, Question, redact
from analysis.ingest.values import clean_text, is_blank
from analysis.ingest.vocabulary import HEADER_EXCLUDE
from analysis.schema import TABLES

SAMPLES = 5


def account_columns(sheet_name: str, header: Header, body, kind: str, notes: list, questions: list) -> None:
    """Map the unknown columns that are clear, note the ignorable ones, ask about the rest (in place)."""
    ignored: list[str] = [header.ignored[j] for j in sorted(header.ignored)]
    first_row = body[0][0] if body else header.end + 2
    for j in sorted(header.unknown):
        parts = header.unknown[j]
        if j in header.years or any(j == i for i, _ in header.columns.values()):
            continue
        values = [clean_text(raw[j]) for _, raw in body if j < len(raw) and not is_blank(raw[j])]
        if not values:
            continue  # an empty column holds nothing to lose
        written = "·".join(parts)
        if sum(map(_looks_like_name, values)) >= 0.8 * len(values):
            header.personal[j] = written  # a column of people's names under a header we did not know
            continue
        if is_ignorable(parts) or (kind != "households" and re.search(HEADER_EXCLUDE, "".join(parts))):
            ignored.append(written)  # 序号, 备注 …; in a return, 期初/累计/同比 figures are not the month's
            continue
        candidates = rank(parts, kind, values, set(header.columns))
        column, sure = decide(candidates)
        samples = tuple(_safe_samples(values, kind))
        options = tuple((c, column_label(c)) for c in [*TABLES[kind].column_names, "region_name", IGNORE]
                        if c not in ("region_code",) and (c not in header.columns or c == column))  # fmt: skip
        rows = tuple(r for r, raw in body if j < len(raw) and not is_blank(raw[j]))
        if sure and column:
            header.columns[column] = (j, written)
            why = candidates[0].reason
            notes.append(
                Problem(
                    sheet_name,
                    None,
                    written,
                    "",
                    f"本列按「{_label(column)}」读取（{why}）；如不对，请在映射中改选",
                    "note",
                )
            )
            questions.append(
                Question("column", sheet_name, written, "", rows, samples, options, column, why, blocking=False)
            )
            continue
        if column:
            alike = [c for c in candidates[1:3] if candidates[0].score - c.score < 0.3]
            reason = (
                f"最像「{_label(column)}」（{candidates[0].reason}）"
                + (f"，也像「{'」「'.join(_label(c.column) for c in alike)}」" if alike else "")
                + "：请确认"
            )
        else:
            reason = "不是可识别的列：如需导入请选择对应的列，否则选“不导入”"
        notes.append(
            Problem(
                sheet_name,
                first_row,
                written,
                "、".join(samples),
                f"本列有 {len(values):,} 个数据未能对应到任何指标（{reason}）；在映射中选定之前不能提交",
                "error",
            )
        )
        questions.append(Question("column", sheet_name, written, "", rows, samples, options, column or IGNORE, reason))
    if ignored:
        notes.append(
            Problem(
                sheet_name,
                None,
                "、".join(ignored),
                "",
                "这些列不导入（序号、备注、乡镇、合计、期初、累计、同比等，或映射中选了“不导入”）",
                "note",
            )
        )


def _label(col: str) -> str:
    spec = catalogue_columns().get(col)
    return spec.label if spec else col


def _safe_samples(values: list[str], kind: str) -> list[str]:
    """The first distinct values, never a number or name that could tell who someone is (a column whose
    values are mostly a column's known values is not one of names: 房票 beside 政府收购 is no person)."""
    out: list[str] = []
    known = sum(1 for v in values[:200] if is_known_value(v, kind)) >= 0.5 * min(len(values), 200)
    for v in values:
        shown = redact(v[:40])
        if not known and _looks_like_name(v):
            shown = "（疑似姓名，已隐去）"
        if shown not in out:
            out.append(shown)
        if len(out) >= SAMPLES:
            break
    return out


SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范"
    "金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章"
    "鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾"
    "尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲"
    "虞敖巩明佘池查麻苑迟邝"
)


def _looks_like_name(value: str) -> bool:
    """Two to four Han characters beginning with a common surname (王建国, 欧阳春): a person's name."""
    text = re.sub(r"\s+", "", value)
    return (
        bool(re.fullmatch(r"[\u4e00-\u9fff]{2,4}", text))
        and text[0] in SURNAMES
        and not re.search(r"[县区市镇乡村街路号楼院房户款元安置货币实物签约搬迁级类型否是]", text[1:])
    )
