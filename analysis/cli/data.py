"""``demo``, ``import``, ``history`` and ``rollback``: writing to the store from the command line."""

from __future__ import annotations

import json
import time
from pathlib import Path

from analysis import demo
from analysis.catalogue import kind_label
from analysis.cli.common import Refusal, check_period, render
from analysis.history import history_frame
from analysis.ingest import ingest, privacy, report
from analysis.regions import load_registry
from analysis.store import Store


def cmd_demo(args, store: Store) -> str:
    if getattr(args, "if_empty", False) and not store.is_empty():
        return f"数据目录 {store.data_dir} 已有数据（版本 {store.current_version()}），未改动。"
    if not store.is_empty() and not args.force:
        raise Refusal(
            f"数据目录 {store.data_dir} 已有数据，未写入演示数据。确需覆盖请加 --force（旧版本仍可用 rollback 找回）"
        )
    t0 = time.perf_counter()
    v = demo.write(store)
    rows = "，".join(f"{kind_label(k)} {n['incoming']:,} 行" for k, n in v.rows.items())
    return f"已写入演示数据（合成数据，非真实统计）：{rows}；版本 {v.version}，用时 {time.perf_counter() - t0:.1f} 秒\n数据目录：{store.data_dir}"


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
    lines = [f"文件「{path.name}」：{kind_label(result.kind)}，{len(result.frame):,} 行，检查通过。"]
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


def cmd_history(args, store: Store) -> str:
    frame = history_frame(store)
    return "还没有任何提交。" if frame.empty else frame.to_string(index=False)


def cmd_rollback(args, store: Store) -> str:
    if args.version < 0 or (args.version > 0 and args.version not in {v.version for v in store.history()}):
        raise Refusal(f"版本 {args.version} 不存在：请用 history 查看可用版本")
    v = store.rollback(args.version)
    return f"已回退到版本 {args.version}（记录为新版本 {v.version}）。"
