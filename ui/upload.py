"""Streamlit glue of the 数据上传 page: checking an uploaded file (cached by its bytes), committing it,
and the progress of reporting after a commit. The reading and checking are in analysis.ingest."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from analysis import catalogue, export
from analysis.export import for_people
from analysis.ingest import IngestResult, RefusedFile, privacy
from analysis.ingest.mapping import Mapping
from analysis.ingest.worker import WorkerError, ingest_bounded
from analysis.mapping_book import MappingBook, SavedMapping, read_with_saved
from analysis.regions import Registry, load_registry
from analysis.schema import TABLES
from analysis.series import previous_period
from analysis.store import Store, StoreError, Version
from ui import access, data

KINDS = [None, "inventory", "households", "plans"]
PREVIEW_ROWS = 500
PREVIEW_WHOLE = 50  # a preview of up to this many rows is shown whole (no scrolling inside)
PREVIEW_WINDOW = 20  # a longer one shows this many rows at a time, scrolling inside (the grid's 35 px rows)
PROBLEM_ROWS = 300  # shown on the page; the download has them all


def kind_label(kind: str | None) -> str:
    return "自动识别" if kind is None else catalogue.kind_label(kind)


def region_options(province_code: str | None) -> list[str]:
    """The cities and counties of the selected province (codes), for the optional region picker."""
    if not province_code:
        return []
    reg = load_registry()
    out = []
    for city in reg.children(province_code):
        out.append(city)
        out += [c for c in reg.children(city) if reg.get(c).level == "county"]
    return out


def region_label(code: str | None) -> str:
    if not code:
        return "不指定（按文件内容判断）"
    reg: Registry = load_registry()
    names = reg.path_names(code)[1:]
    return ("　" if len(names) > 1 else "") + " ".join(names) + f"（{code}）"


@dataclass(frozen=True)
class Checked:
    """A file as read: the result (or the Chinese reason it cannot be read) and the saved mapping applied."""

    result: IngestResult | str
    saved: SavedMapping | None = None


@st.cache_data(max_entries=8, show_spinner="正在读取和检查文件…")
def _check(
    digest: str, _data: bytes, name: str, kind, region, period, data_dir: str, mapping_json: str, use_saved: bool,
    book_stamp: tuple,
) -> Checked:  # fmt: skip
    """Read in a worker process of its own (memory and time limited), so no file can stop the server; with
    the analyst's mapping over the one saved for the submitting region (``book_stamp`` changes when one is
    saved, so the next check sees it)."""
    given = Mapping.from_dict(json.loads(mapping_json), kind)
    try:
        key = privacy.existing_key(data_dir) or _pending_key(data_dir)

        def read(mapping: Mapping) -> IngestResult:
            return ingest_bounded(
                _data, name, kind=kind, region=region, period=period or None, id_key=key, mapping=mapping
            )

        if not use_saved:
            return Checked(read(given))
        result, saved = read_with_saved(read, MappingBook(data_dir), load_registry(), kind=kind, region=region,
                                        given=given)  # fmt: skip
        return Checked(result, saved)
    except RefusedFile as exc:
        return Checked("\n".join([str(exc), *(p.text() for p in exc.problems if p.reason != str(exc))]))
    except privacy.IdKeyError as exc:
        return Checked(str(exc))
    except WorkerError:
        return Checked(
            "读取该文件时发生内部错误，文件未读取，数据未改变；请联系系统管理员（命令行 HOUSING_DEBUG=1 可查看详情）"
        )


@st.cache_resource(show_spinner=False)
def _pending_key(data_dir: str) -> bytes:
    """The id key of an installation that has none yet, kept in memory until a commit stores it (a file
    that is only checked, or refused, writes nothing)."""
    return privacy.new_key()


def digest_of(data_bytes: bytes) -> str:
    return hashlib.sha256(data_bytes).hexdigest()


def check(
    data_bytes: bytes,
    name: str,
    kind,
    region,
    period,
    data_dir: str,
    mapping: Mapping | None = None,
    use_saved: bool = True,
) -> Checked:
    """The checked file (read again whenever the mapping changes), or the Chinese reason it cannot be read."""
    mapping_json = json.dumps((mapping or Mapping()).as_dict(), ensure_ascii=False, sort_keys=True)
    return _check(
        digest_of(data_bytes), data_bytes, name, kind, region, period, data_dir, mapping_json, use_saved,
        book_stamp(data_dir),
    )  # fmt: skip


def book_stamp(data_dir: str) -> tuple:
    """What the saved mappings are now (their files), for the check's cache key."""
    return tuple(
        sorted(str(p.relative_to(MappingBook(data_dir).root)) for p in MappingBook(data_dir).root.rglob("v*.yaml"))
    )


def preview(result: IngestResult) -> pd.DataFrame:
    """The normalised rows as people read them, beside where each came from (sheet, row, place as written)."""
    frame = result.frame.head(PREVIEW_ROWS)
    reg = load_registry()
    shown = for_people(frame)
    decimals = dict(shown.attrs.get("decimals", {}))
    shown.insert(0, "地区", [reg.name(c) if isinstance(c, str) else "（未识别）" for c in frame.region_code])
    if result.source is not None:
        src = result.source.head(PREVIEW_ROWS).reset_index(drop=True)
        shown.insert(0, "文件中的地区", src.region_written)
        shown.insert(0, "行", src.row)
        shown.insert(0, "工作表", src.sheet)
        decimals["行"] = 0
    shown = shown.drop(columns=[c for c in shown.columns if c == "行政区划代码"]).assign(
        行政区划代码=frame.region_code.fillna("").to_numpy()
    )
    if result.kind == "households":  # one household's money reads in 元, not 亿元
        money = export.header("compensation_yuan")
        shown[money] = frame.compensation_yuan.to_numpy()
        shown = shown.rename(columns={money: "补偿款（元）"})
        decimals["补偿款（元）"] = 0
        decimals.pop(money, None)
    optional = [export.header(c.name) for c in TABLES[result.kind].columns if not c.required]
    empty = [c for c in shown.columns if c in optional and shown[c].isna().all()]
    shown = shown.drop(columns=empty)  # optional columns the file does not have
    for col in shown.columns:  # blanks, never "None": text columns hold "", numbers NaN (drawn empty)
        if col not in decimals:
            shown[col] = shown[col].astype(object).where(shown[col].notna(), "")
        elif shown[col].isna().any():  # the grid draws a missing number as "None": such columns as text
            d = decimals.pop(col)
            shown[col] = [
                "" if v != v or v is None else (f"{v:.0f}" if col.endswith("（年）") else f"{v:,.{d}f}")
                for v in pd.to_numeric(shown[col], errors="coerce")
            ]
    shown.attrs["decimals"] = {k: v for k, v in decimals.items() if k in shown.columns}
    return shown


def commit(result: IngestResult, state: data.DataState, region: str | None) -> Version:
    who = access.check_commit(result)  # the account, checked now: may upload, every row inside its scope
    note = f"指定地区：{region_label(region).strip()}" if region else ""
    store = Store(state.data_dir)
    key = privacy.existing_key(state.data_dir)
    if key is None:  # the installation's first commit stores the key the file was read with
        store.check_id_key(result.kind, result.id_key_fingerprint)
        key = privacy.adopt(state.data_dir, _pending_key(state.data_dir))
    if result.kind == "households" and privacy.fingerprint(key) != result.id_key_fingerprint:
        raise StoreError("读取该文件之后户编号密钥已更换（或由另一次导入创建）：请重新选择该文件，再确认提交")
    version = store.commit(
        {result.kind: result.frame},
        file_name=result.file_name,
        note=note,
        id_key_fingerprint=result.id_key_fingerprint,
        actor=who.name,
        via="app",
    )
    access.audit(
        "commit",
        {"version": version.version, "file": result.file_name, "kind": result.kind, "rows": len(result.frame)},
        who,
    )
    return version


def reporting_after(result: IngestResult, version: Version, state: data.DataState) -> pd.DataFrame | None:
    """报送进度 around the months an inventory import brought, for the city (or province) it covers."""
    if result.kind != "inventory" or result.frame.empty:
        return None
    reg = load_registry()
    months = sorted(result.frame.period.dropna().unique())
    codes = [c for c in result.frame.region_code.dropna().unique() if c in reg.regions]
    cities = {reg.get(c).parent_code for c in codes}
    scopes = sorted(cities) if len(cities) == 1 else sorted({reg.get(c).province_code for c in codes})
    first = min(months[0], previous_period(months[-1], 5))
    frames = [data.submissions_frame(state.data_dir, version.version, s, first, months[-1]) for s in scopes]
    return pd.concat(frames, ignore_index=True) if frames else None


def commit_clicked(result: IngestResult, state: data.DataState, region: str | None) -> None:
    """The 确认提交 button's callback: commit, say what happened, and empty the file picker."""
    try:
        version = commit(result, state, region)
    except (StoreError, privacy.IdKeyError, access.NotAllowed) as exc:
        st.session_state["up_done"] = {"message": f"未能提交：{exc}", "ok": False}
        return
    counts = version.rows[result.kind]
    st.session_state["up_done"] = {
        "message": f"已提交为版本 {version.version}：{catalogue.kind_label(result.kind)}新增 {counts['added']:,} 行，"
        f"替换 {counts['replaced']:,} 行（文件「{result.file_name}」）。",
        "reporting": reporting_after(result, version, state),
    }
    st.session_state["up_round"] = st.session_state.get("up_round", 0) + 1
    st.session_state.pop("up_ack", None)


def rollback(state: data.DataState) -> None:
    """The 回退 button's callback: make the chosen version current again (as a new version), only if the
    version the page showed as current still is (``state`` is the one the page was drawn with)."""
    target = st.session_state.get("up_rollback_to")
    try:
        store = Store(state.data_dir)
        who = access.check_rollback(store, int(target))  # an admin whose scope holds what it changes
        v = store.rollback(int(target), expected_current=state.version, actor=who.name, via="app")
        access.audit("rollback", {"to": int(target), "replaced": state.version, "version": v.version}, who)
        st.session_state["up_done"] = {
            "message": f"已回退到版本 {target}（替换了版本 {state.version}；记录为新版本 {v.version}）。"
        }
    except (StoreError, TypeError, ValueError, access.NotAllowed) as exc:
        st.session_state["up_done"] = {"message": f"未能回退：{exc}", "ok": False}
    st.session_state.pop("up_rollback_sure", None)
