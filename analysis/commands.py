"""What each command-line command does, returning the text to print (``__main__`` stays thin)."""

from __future__ import annotations

import io
import json
import re
import time
from pathlib import Path

import pandas as pd

from analysis import db, demo, metrics
from analysis.format import display
from analysis.glossary import KIND_LABELS, label
from analysis.ingest import ingest, privacy, report
from analysis.regions import load_registry
from analysis.store import Store

ACTION_LABELS = {"demo": "演示数据", "import": "导入", "rollback": "回退", "empty": "空"}


class Refusal(Exception):
    """Input refused: the message (Chinese) goes to stderr, ``stdout`` (if any) to stdout; exit 2."""

    def __init__(self, message: str, stdout: str = "") -> None:
        super().__init__(message)
        self.stdout = stdout


def default_dir() -> Path:
    return db.default_data_dir()


def run(args, data_dir: Path) -> str:
    handler = {
        "demo": cmd_demo,
        "metrics": cmd_metrics,
        "import": cmd_import,
        "history": cmd_history,
        "rollback": cmd_rollback,
        "scenario": cmd_scenario,
    }[args.command]
    return handler(args, Store(data_dir))


# -- demo -----------------------------------------------------------------------------------------
def write_demo(store: Store, force: bool = False):
    if not store.is_empty() and not force:
        raise Refusal(
            f"数据目录 {store.data_dir} 已有数据，未写入演示数据。确需覆盖请加 --force（旧版本仍可用 rollback 找回）"
        )
    tables = demo.generate(load_registry())
    return store.commit(
        tables,
        action="demo",
        synthetic=True,
        replace_all=True,
        file_name="（内置演示数据）",
        note="合成演示数据，非真实统计",
    )


def cmd_demo(args, store: Store) -> str:
    if getattr(args, "if_empty", False) and not store.is_empty():
        return f"数据目录 {store.data_dir} 已有数据（版本 {store.current_version()}），未改动。"
    t0 = time.perf_counter()
    v = write_demo(store, args.force)
    rows = "，".join(f"{KIND_LABELS[k]} {n['incoming']:,} 行" for k, n in v.rows.items())
    return f"已写入演示数据（合成数据，非真实统计）：{rows}；版本 {v.version}，用时 {time.perf_counter() - t0:.1f} 秒\n数据目录：{store.data_dir}"


# -- metrics --------------------------------------------------------------------------------------
def parse_years(text: str | None) -> tuple[int, ...]:
    """``2016`` / ``2016,2017`` / ``2015-2017`` → years (the same for every command)."""
    if not text:
        return ()
    text = text.strip()
    m = re.fullmatch(r"(\d{4})\s*[-–~至]\s*(\d{4})", text)
    if m:
        first, last = int(m.group(1)), int(m.group(2))
        if first > last or last - first > 50:
            raise Refusal(f"年度范围「{text}」无效，应如 2015-2017")
        return tuple(range(first, last + 1))
    try:
        return tuple(int(y) for y in re.split(r"[,，\s]+", text) if y)
    except ValueError as exc:
        raise Refusal(f"年度「{text}」无法识别，应为 2016、2016,2017 或 2015-2017") from exc


def resolve_region(text: str | None) -> str | None:
    if not text:
        return None
    code = load_registry().match_any(text)
    if code is None:
        raise Refusal(f"无法识别地区「{text}」：请使用 6 位行政区划代码或完整名称")
    return code


def check_period(text: str | None) -> str | None:
    if text and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        raise Refusal(f"统计月份「{text}」格式不对，应为 YYYY-MM，如 2016-06")
    return text


def compute_metrics(
    store: Store, level: str, region: str | None, period: str | None, window: int, years: tuple[int, ...] = ()
) -> pd.DataFrame:
    con = store.connect()
    try:
        check_period_in_data(con, period)
        return metrics.compute(
            con, metrics.MetricsQuery(level=level, scope=region, period=period, window_months=window, years=years)
        )
    finally:
        con.close()


def check_period_in_data(con, period: str | None) -> None:
    """A month the data does not reach is refused, rather than answered with empty rows."""
    months = metrics.periods(con) if period else []
    if months and period not in months:
        raise Refusal(f"数据中没有 {period} 的库存数据：已有 {months[0]} 至 {months[-1]}（共 {len(months)} 个月）")


def render(frame: pd.DataFrame, fmt: str) -> str:
    if fmt == "csv":
        buf = io.StringIO()
        frame.to_csv(buf, index=False, lineterminator="\n")
        return buf.getvalue()
    if fmt == "json":
        return frame.to_json(orient="records", force_ascii=False, indent=1)
    shown = pd.DataFrame(
        {label(c) if c != "level" else "层级": [display(c, v) for v in frame[c]] for c in frame.columns}
    )
    return shown.to_string(index=False)


def cmd_metrics(args, store: Store) -> str:
    region = resolve_region(args.region)
    frame = compute_metrics(store, args.level, region, check_period(args.period), args.window, parse_years(args.years))
    if not args.all_columns:
        frame = frame[metrics.CONTRACT_COLUMNS]
    if frame.empty and args.format == "table":
        return "没有数据：请先导入数据（python -m analysis import 文件）或写入演示数据（python -m analysis demo）"
    return render(frame, args.format)


# -- import ---------------------------------------------------------------------------------------
def cmd_import(args, store: Store) -> str:
    path = Path(args.file)
    if not path.is_file():
        raise Refusal(f"找不到文件：{path}")
    key = privacy.existing_key(store.data_dir) if args.dry_run else privacy.id_key(store.data_dir)
    result = ingest(
        path.read_bytes(),
        path.name,
        load_registry(),
        kind=args.kind,
        region=args.region,
        period=check_period(args.period),
        id_key=key,
    )
    problems = "\n".join(p.text() for p in result.problems)
    if not result.ok:
        stdout = (
            json.dumps(_result_json(result, None), ensure_ascii=False, indent=1) + "\n" if args.format == "json" else ""
        )
        raise Refusal(
            f"已拒绝：文件「{path.name}」有 {len(result.errors)} 处错误，未写入任何数据。\n{problems}", stdout
        )
    version = None if args.dry_run else store.commit({result.kind: result.frame}, file_name=path.name)
    if args.format == "csv":
        return render(result.frame, "csv")
    if args.format == "json":
        return json.dumps(_result_json(result, version), ensure_ascii=False, indent=1)
    lines = [f"文件「{path.name}」：{KIND_LABELS[result.kind]}，{len(result.frame):,} 行，检查通过。"]
    lines.append("合计：" + "，".join(f"{k} {v}" for k, v in report.totals(result).items()))
    if result.dropped_personal:
        lines.append("已丢弃个人身份信息列（不保存）：" + "、".join(result.dropped_personal))
    if problems:
        lines.append(problems)
    if version is None:
        lines.append("试运行（--dry-run）：未写入。")
    else:
        n = version.rows[result.kind]
        lines.append(f"已提交为版本 {version.version}：新增 {n['added']:,} 行，替换 {n['replaced']:,} 行。")
    return "\n".join(lines)


def _result_json(result, version) -> dict:
    return {
        "file": result.file_name,
        "kind": result.kind,
        "rows": len(result.frame),
        "ok": result.ok,
        "version": version.version if version else None,
        "problems": [p.as_dict() for p in result.problems],
        "dropped_personal_columns": result.dropped_personal,
    }


# -- history / rollback ---------------------------------------------------------------------------
def history_frame(store: Store) -> pd.DataFrame:
    current = store.current_version()
    rows = []
    for v in store.history():
        total = sum(n.get("incoming", 0) for n in v.rows.values())
        rows.append(
            {
                "版本": v.version,
                "当前": "✓" if v.version == current else "",
                "时间": v.created_at.replace("T", " "),
                "操作": ACTION_LABELS.get(v.action, v.action),
                "文件": v.file_name,
                "类型": "、".join(KIND_LABELS.get(k, k) for k in v.kind.split(",") if k),
                "地区数": len(v.regions),
                "行数": total,
                "说明": v.note,
            }
        )
    return pd.DataFrame(rows)


def cmd_history(args, store: Store) -> str:
    frame = history_frame(store)
    return "还没有任何提交。" if frame.empty else frame.to_string(index=False)


def cmd_rollback(args, store: Store) -> str:
    if args.version < 0 or (args.version > 0 and args.version not in {v.version for v in store.history()}):
        raise Refusal(f"版本 {args.version} 不存在：请用 history 查看可用版本")
    v = store.rollback(args.version)
    return f"已回退到版本 {args.version}（记录为新版本 {v.version}）。"


# -- scenario -------------------------------------------------------------------------------------
def cmd_scenario(args, store: Store) -> str:
    try:
        from analysis.scenario import cli as scenario_cli
    except ImportError as exc:
        raise Refusal("情景模拟尚未提供") from exc
    return scenario_cli.run(args, store)
