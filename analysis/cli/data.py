"""``demo``, ``import``, ``history`` and ``rollback``: writing to the store from the command line."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from analysis import db, demo
from analysis.catalogue import kind_label
from analysis.cli.common import Refusal, check_period, render
from analysis.cli.users import record
from analysis.history import ACTION_LABELS, history_frame
from analysis.ingest import privacy, report
from analysis.ingest.mapping import Mapping
from analysis.ingest.problems import RefusedFile
from analysis.ingest.reader import MAX_FILE_BYTES
from analysis.ingest.worker import ingest_bounded
from analysis.mapping_book import MappingBook, read_with_saved, submitting_region
from analysis.regions import load_registry
from analysis.store import Store, default_actor


def cmd_demo(args, store: Store) -> str:
    if getattr(args, "if_empty", False) and not store.is_empty():
        return f"数据目录 {store.data_dir} 已有数据（版本 {store.current_version()}），未改动。"
    if not store.is_empty() and not args.force:
        raise Refusal(
            f"数据目录 {store.data_dir} 已有数据，未写入演示数据。确需覆盖请加 --force（旧版本仍可用 rollback 找回）"
        )
    t0 = time.perf_counter()
    v = demo.write(store)
    record(store, "demo", {"version": v.version})
    rows = "，".join(f"{kind_label(k)} {n['incoming']:,} 行" for k, n in v.rows.items())
    return f"已写入演示数据（合成数据，非真实统计）：{rows}；版本 {v.version}，用时 {time.perf_counter() - t0:.1f} 秒\n数据目录：{store.data_dir}"


def cmd_import(args, store: Store) -> str:
    path = Path(args.file)
    if not path.is_file():
        raise Refusal(f"找不到文件：{path}")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:  # never read into memory at all
        raise Refusal(
            f"已拒绝：文件过大（{size / 1e6:.1f} MB），上限为 {MAX_FILE_BYTES // 1024 // 1024} MB；请按市或按月拆分后上传"
        )
    data = path.read_bytes()
    given = _mapping_file(args.mapping, args.kind) if args.mapping else Mapping()
    book = MappingBook(store.data_dir)
    registry = load_registry()
    saved = None

    def read(key: bytes):
        nonlocal saved

        def once(mapping: Mapping):
            return ingest_bounded(
                data,
                path.name,
                kind=args.kind,
                region=args.region,
                period=check_period(args.period),
                id_key=key,
                mapping=mapping,
            )

        if args.no_saved_mapping:
            return once(given)
        result, saved = read_with_saved(once, book, registry, kind=args.kind, region=args.region, given=given)
        return result

    # the first import of an installation makes the id key in memory and stores it only on committing
    # (a refused file writes nothing); if another import stored one first, the file is read again with it
    key = privacy.existing_key(store.data_dir)
    fresh = privacy.new_key() if key is None else None
    result = read(key or fresh)
    if fresh is not None and result.ok and not args.dry_run:
        key = privacy.existing_key(store.data_dir)  # stored by another import in the meantime?
        if key is None:
            store.check_id_key(result.kind, result.id_key_fingerprint, args.rekey)  # before storing a new key
            key = privacy.adopt(store.data_dir, fresh)
        if key != fresh:
            result = read(key)
    problems = "\n".join(p.text() for p in result.problems)
    applied = f"已应用保存的映射（{_place(registry, saved.region_code)}，第 {saved.version} 版）。\n" if saved else ""
    if not result.ok:
        stdout = (
            json.dumps(_result_json(result, None), ensure_ascii=False, indent=1) + "\n" if args.format == "json" else ""
        )
        asked = ""
        if result.open_questions:
            asked = (
                f"\n\n有 {len(result.open_questions)} 处需要您确认（表头、取值或地名）。"
                "把下面的内容存为映射文件，核对、修改后用 --mapping 文件名 重新导入"
                "（可加 --save-mapping，下次同一地区的文件自动使用）：\n\n" + report.suggested_mapping(result).to_yaml()
            )
        dropped = (
            "\n读取时将丢弃的个人身份信息列（不保存）：" + "、".join(result.dropped_personal)
            if result.dropped_personal
            else ""
        )
        raise Refusal(
            f"{applied}已拒绝：文件「{path.name}」有 {len(result.errors)} 处错误，未写入任何数据。\n{problems}{dropped}{asked}",
            stdout,
        )
    fingerprint = result.id_key_fingerprint
    before = store.manifest()
    version = None
    if not args.dry_run:
        version = store.commit(
            {result.kind: result.frame}, file_name=path.name, id_key_fingerprint=fingerprint, rekey=args.rekey
        )
        record(
            store,
            "commit",
            {"version": version.version, "file": path.name, "kind": result.kind, "rows": len(result.frame)},
        )
    if args.format == "csv":
        return render(result.frame, "csv")
    if args.format == "json":
        return json.dumps(_result_json(result, version), ensure_ascii=False, indent=1)
    if version is not None and args.save_mapping and args.mapping:
        code = (registry.match_any(args.region) if args.region else None) or submitting_region(result, registry)
        if code:
            saved = book.save(code, result.kind, given, by=default_actor())
            record(store, "mapping_saved", {"region": code, "kind": result.kind, "version": saved.version})
    lines = [f"{applied}文件「{path.name}」：{kind_label(result.kind)}，{len(result.frame):,} 行，检查通过。"]
    lines.append("合计：" + "，".join(f"{k} {v}" for k, v in report.totals(result).items()))
    if result.dropped_personal:
        lines.append("已丢弃个人身份信息列（不保存）：" + "、".join(result.dropped_personal))
    if problems:
        lines.append(problems)
    changed = result.kind == "households" and _key_changed(before, fingerprint)
    if version is None:
        if changed:
            lines.append(
                f"[提示] 户编号密钥与已有花名册数据所用的不同（指纹 {before.id_key_fingerprint} → {fingerprint}），正式导入将被拒绝，除非加 --rekey"
            )
        lines.append("试运行（--dry-run）：未写入。")
    else:
        n = version.rows[result.kind]
        lines.append(f"已提交为版本 {version.version}：新增 {n['added']:,} 行，替换 {n['replaced']:,} 行。")
        if changed:
            lines.append(
                f"已按 --rekey 记录新的户编号密钥（指纹 {before.id_key_fingerprint} → {fingerprint}）。"
                f"此前按旧密钥生成户编号的 {_hashed_households(store, before):,} 户不会与本次及以后导入的同一户对上："
                "重新导入此前已导入过的花名册会重复计入（见 README「户编号密钥」）。"
            )
    return "\n".join(lines)


def _key_changed(before, fingerprint: str) -> bool:
    return bool(before.id_key_fingerprint and fingerprint and before.id_key_fingerprint != fingerprint)


def _hashed_households(store: Store, version) -> int:
    """Households of ``version`` whose id was made with the key (``HH-…``)."""
    con = db.connect(version.files(store.data_dir), {})
    return int(db.scalar(con, "meta/keyed_households") or 0)


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


def _place(registry, code: str) -> str:
    """阳泉市城区 rather than 城区: the city names a county whose name repeats across the province."""
    return "".join(registry.path_names(code)[1:]) or registry.name(code)


def _mapping_file(name: str, kind: str | None) -> Mapping:
    path = Path(name)
    if not path.is_file():
        raise Refusal(f"找不到映射文件：{path}")
    try:
        return Mapping.parse(path.read_text(encoding="utf-8"), kind)
    except UnicodeDecodeError:
        raise Refusal(f"映射文件 {path} 不是 UTF-8 文本") from None
    except RefusedFile as exc:
        raise Refusal(f"已拒绝：{exc}") from None


def cmd_mappings(args, store: Store) -> str:
    book = MappingBook(store.data_dir)
    registry = load_registry()
    if args.action == "list":
        saved = book.all()
        if not saved:
            return "还没有保存任何映射。"
        return "\n".join(
            f"{_place(registry, s.region_code)}（{s.region_code}） {kind_label(s.kind)}：第 {s.version} 版，"
            f"{s.saved_at.replace('T', ' ').rstrip('Z')}，{s.by or '—'}；"
            f"表头 {len(s.mapping.columns)} 项、取值 {sum(map(len, s.mapping.values.values()))} 项、地名 {len(s.mapping.places)} 项"
            for s in saved
        )
    code = registry.match_any(args.region) if args.region else None
    if not code or not args.kind:
        raise Refusal("show 需要 --region（地区代码或名称）和 --kind")
    saved = book.latest(code, args.kind)
    if saved is None:
        raise Refusal(f"{registry.name(code)}没有保存{kind_label(args.kind)}的映射")
    return saved.mapping.to_yaml().rstrip()


def cmd_history(args, store: Store) -> str:
    frame = history_frame(store)
    return "还没有任何提交。" if frame.empty else frame.to_string(index=False)


def cmd_rollback(args, store: Store) -> str:
    """Roll back after showing what is replaced: asks on a terminal unless --yes; never past a newer commit."""
    current = store.current_version()
    if args.from_version is not None and args.from_version != current:
        raise Refusal(
            f"已拒绝：当前版本是 {current}，不是 --from 给出的 {args.from_version}：其间又有新的提交或回退，未回退。"
            "请用 history 查看后再决定"
        )
    versions = {v.version: v for v in store.history()}
    if args.version < 0 or (args.version > 0 and args.version not in versions):
        raise Refusal(f"版本 {args.version} 不存在：请用 history 查看可用版本")
    if args.version == current:
        raise Refusal(f"已拒绝：版本 {args.version} 已是当前版本，无需回退")
    plan = (
        f"将回退到版本 {args.version}（{_describe(versions.get(args.version))}），"
        f"替换当前版本 {current}（{_describe(versions.get(current))}）。"
    )
    if args.version == 0 and not args.yes:
        raise Refusal(f"{plan}\n已拒绝：回退到版本 0 会清空全部省份的数据，必须加 --yes 确认（rollback 0 --yes）")
    if not args.yes:
        if not sys.stdin.isatty():
            raise Refusal(f"{plan}\n已拒绝：回退需要确认：请在终端中运行并回答 y，或加 --yes")
        print(plan, flush=True)
        try:
            answer = input("是否确认？[y/N] ")
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes", "是"):
            raise Refusal("已取消：未回退")
    v = store.rollback(args.version, expected_current=current)
    record(store, "rollback", {"to": args.version, "replaced": current, "version": v.version})
    return f"已回退到版本 {args.version}（替换了版本 {current}；记录为新版本 {v.version}）。"


def _describe(version) -> str:
    if version is None:
        return "空"
    parts = [version.created_at.replace("T", " "), ACTION_LABELS.get(version.action, version.action), version.file_name]
    return "，".join(p for p in parts if p)
