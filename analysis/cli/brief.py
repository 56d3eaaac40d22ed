"""``python -m analysis brief``: the one-page brief (PDF / PNG) or the 通报 draft (.docx) of a province or city.

    python -m analysis brief --region 山西省 --period 2017-12 --format pdf --out 山西省简报.pdf
    python -m analysis brief --region 140100 --window 6 --format docx --out 太原市通报.docx

The figures are those of 总览 / 地区详情 for the same view; the file is written only when it was made whole.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from analysis import metrics, progress
from analysis.brief import FORMATS, NotBriefable, Source, connection_compute, generate
from analysis.cli.common import Refusal, check_period, resolve_region
from analysis.regions import load_registry
from analysis.store import Store


def add_parser(sub, parents) -> None:
    b = sub.add_parser("brief", parents=parents, help="生成简报（PDF / PNG）或通报草稿（Word .docx）")
    b.add_argument("--region", required=True, help="省或市：名称或 6 位代码（如 山西省、太原市、140100）")
    b.add_argument("--period", help="统计月份 YYYY-MM（默认数据中最新月份）")
    b.add_argument("--window", type=int, choices=[6, 12], default=12, help="月均销售的滚动窗口（月）")
    b.add_argument("--format", choices=list(FORMATS), help="pdf | png | docx（默认按 --out 的扩展名）")
    b.add_argument("--out", required=True, help="输出文件")
    t = progress.Thresholds()
    b.add_argument(
        "--summon", type=float, default=t.summon, help=f"约谈线：启动率 ÷ 应达进度低于此值（默认 {t.summon}）"
    )
    b.add_argument("--notice", type=float, default=t.notice, help=f"通报线（默认 {t.notice}）")
    b.add_argument("--warning", type=float, default=t.warning, help=f"预警线（默认 {t.warning}）")


def _form(args) -> str:
    suffix = Path(args.out).suffix.lower()
    by_suffix = {f.suffix: k for k, f in FORMATS.items()}
    if args.format is None:
        if suffix not in by_suffix:
            raise Refusal(f"输出文件「{args.out}」的扩展名无法判断格式：请加 --format pdf、png 或 docx")
        return by_suffix[suffix]
    if suffix and suffix in by_suffix and by_suffix[suffix] != args.format:
        raise Refusal(
            f"输出文件「{args.out}」的扩展名与 --format {args.format} 不符（应为 {FORMATS[args.format].suffix}）"
        )
    return args.format


def _out_path(text: str) -> Path:
    path = Path(text)
    if path.is_dir():
        raise Refusal(f"--out「{text}」是一个目录，请给出文件名")
    if not path.parent.is_dir():
        raise Refusal(f"--out「{text}」所在的目录不存在")
    return path


def _write(path: Path, data: bytes) -> None:
    """Atomically: a half-written file never takes the name."""
    fd, tmp = tempfile.mkstemp(prefix=".brief-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cmd_brief(args, store: Store) -> str:
    form = _form(args)
    out = _out_path(args.out)
    period = check_period(args.period)
    code = resolve_region(args.region)
    try:
        thresholds = progress.Thresholds(args.summon, args.notice, args.warning)
    except ValueError as exc:
        raise Refusal(
            f"阈值须满足 0 < 约谈线 ≤ 通报线 ≤ 预警线 ≤ 1.5，收到 {args.summon}、{args.notice}、{args.warning}"
        ) from exc
    if store.is_empty():
        raise Refusal(
            "没有数据：请先导入数据（python -m analysis import 文件）或写入演示数据（python -m analysis demo）"
        )
    t0 = time.perf_counter()
    con = store.connect()
    try:
        version = store.current_version()
        source = Source(
            connection_compute(con, args.window),
            tuple(metrics.periods(con)),
            args.window,
            store.manifest(version).is_synthetic,
            version,
        )
        try:
            data = generate(source, code, period, form, thresholds)
        except NotBriefable as exc:
            raise Refusal(f"已拒绝：{exc}") from exc
    finally:
        con.close()
    _write(out, data)
    what = FORMATS[form].label
    shown_period = period or source.periods[-1]
    return (
        f"已写入 {out}（{what}，{load_registry().name(code)}，{shown_period}，近{args.window}个月窗口，"
        f"{len(data) / 1024:,.0f} KB，用时 {time.perf_counter() - t0:.1f} 秒）"
    )
