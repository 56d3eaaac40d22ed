"""Streamlit glue of the upload's mapping step: the questions the reader could not settle (a header, a value,
a place) as choices prefilled with its guess and reason; the answers applied at once (the file is read
again with them); the file's mapping shown and editable as text; saved per region and kind, and the saved
mappings listed with their versions. The mapping itself is :mod:`analysis.ingest.mapping`."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.catalogue import kind_label
from analysis.ingest import IngestResult
from analysis.ingest.mapping import Mapping
from analysis.ingest.problems import Question, RefusedFile
from analysis.mapping_book import MappingBook, SavedMapping, submitting_region
from analysis.regions import load_registry
from ui import access, text
from ui.errors import guard

STATE = "up_mapping"  # {"digest": file digest, "mapping": as_dict}: one file's answers, dropped with the file
ABOUT = {"column": "表头", "value": "取值", "place": "地名"}


def current(digest: str) -> Mapping:
    """The answers given for this file on the page (none for a file just chosen)."""
    held = st.session_state.get(STATE)
    if not held or held.get("digest") != digest:
        return Mapping()
    try:
        return Mapping.from_dict(held["mapping"])
    except RefusedFile:
        return Mapping()


def _keep(digest: str, mapping: Mapping) -> None:
    st.session_state[STATE] = {"digest": digest, "mapping": mapping.as_dict()}


def place_label(code: str) -> str:
    reg = load_registry()
    if code not in reg.regions:
        return code
    return "".join(reg.path_names(code)) + f"（{code}）"


def question_label(q: Question) -> str:
    where = f"工作表「{q.sheet}」" if q.sheet else "文件"
    if q.about == "column":
        shown = f"{where}「{q.written}」列"
    elif q.about == "value":
        shown = f"{where}「{_column_name(q.column)}」列的值「{q.written}」"
    else:
        shown = f"{where}{q.column or ''}中的地名「{q.written}」"
    rows = f"（{len(q.rows):,} 行）" if q.rows else ""
    return shown + rows


def _column_name(col: str) -> str:
    from analysis.catalogue import columns

    spec = columns().get(col)
    return spec.label if spec else col


def _choice_label(q: Question, choice: str) -> str:
    labels = dict(q.options)
    if q.about == "place" and choice not in labels:
        return place_label(choice)
    return labels.get(choice, choice)


def step(result: IngestResult, digest: str) -> None:
    """The questions of a checked file as a form; 应用 reads the file again with the answers."""
    questions = result.questions
    if not questions:
        return
    blocking = [q for q in questions if q.blocking]
    st.subheader("映射：请确认读取方式")
    if blocking:
        st.warning(
            f"有 {len(blocking)} 处需要您确认（表头、取值或地名）；确认之前不能提交。"
            "每项已按系统的判断预选，请核对后点「应用并重新检查」。",
            icon=":material/rule:",
        )
    else:
        st.caption("以下各项系统已自动判断，如不对可改选后点「应用并重新检查」。")
    asked: dict[str, tuple[str, str, str]] = {}  # widget key → question key
    with st.form(key=f"up_mapping_form_{digest[:12]}", border=True):
        for i, q in enumerate(questions):
            options = [c for c, _ in q.options]
            if q.about == "place" and not options:
                continue
            index = options.index(q.guess) if q.guess in options else None
            tag = "需确认" if q.blocking else "已自动识别"
            widget = f"up_q_{digest[:12]}_{i}"
            asked[widget] = q.key
            st.selectbox(
                f"{ABOUT[q.about]} · {tag}：{text.plain(question_label(q))}",
                options,
                index=index,
                format_func=lambda c, q=q: _choice_label(q, c),
                placeholder="请选择",
                key=widget,
                help=text.plain(q.reason) if q.reason else None,
            )
            detail = []
            if q.reason:
                detail.append(f"系统判断：{q.reason}")
            if q.samples:
                detail.append("示例值：" + "、".join(q.samples))
            if detail:
                st.caption(text.plain("；".join(detail)))
        st.form_submit_button(
            "应用并重新检查",
            type="primary",
            icon=":material/published_with_changes:",
            on_click=guard(_apply),
            args=(digest, asked),
        )


def _apply(digest: str, asked: dict[str, tuple[str, str, str]]) -> None:
    """The form's callback (before the next run, so no rerun can lose the click): answers over the file's."""
    choices = {key: st.session_state.get(widget) for widget, key in asked.items()}
    _keep(digest, current(digest).merged(Mapping.answering(choices)))


def editor(result: IngestResult, digest: str, region: str | None, data_dir: str, saved: SavedMapping | None) -> None:
    """The file's mapping as text (editable), cleared or saved for the submitting region and kind."""
    given = current(digest)
    whole = saved.mapping.merged(given) if saved else given
    if whole.is_empty:
        return
    with st.expander(f"本文件使用的映射（{_count(whole)}）", expanded=False):
        st.caption(
            "格式与命令行 `import --mapping` 的映射文件相同：columns（表头 → 列名或 ignore）、"
            "values（列名 → 原值 → 取值或 unknown）、places（地名 → 6 位代码）。"
        )
        text_key = f"up_mapping_text_{digest[:12]}_{abs(hash(whole.to_yaml()))}"  # a new text when the mapping changes
        st.text_area("映射（可直接修改）", whole.to_yaml(), height=160, key=text_key)
        c1, c2, c3 = st.columns(3)
        c1.button(
            "应用修改", key=f"up_mapping_apply_{digest[:12]}", icon=":material/check:",
            on_click=guard(_apply_text), args=(digest, result.kind, text_key),
        )  # fmt: skip
        c2.button(
            "清除本文件的映射", key=f"up_mapping_clear_{digest[:12]}", icon=":material/backspace:",
            on_click=guard(_keep), args=(digest, Mapping()),
        )  # fmt: skip
        error = st.session_state.pop("up_mapping_error", None)
        if error:
            st.error(text.plain(error), icon=":material/error:")
        code = save_region(result, region)
        if code is None:
            c3.button("保存映射", disabled=True, key=f"up_mapping_save_{digest[:12]}")
            st.caption("要保存映射，请先在上方「所属地区」选定地区（或先确认地名），映射将用于该地区以后的文件。")
        elif not access.may_save_mapping(code):
            c3.button("保存映射", disabled=True, key=f"up_mapping_save_{digest[:12]}")
            st.caption(text.plain(f"{place_label(code)}不在您的报送范围内，不能为它保存映射。"))
        else:
            c3.button(
                "保存映射",
                key=f"up_mapping_save_{digest[:12]}",
                icon=":material/save:",
                help=f"保存为{place_label(code)}的{kind_label(result.kind)}映射；该地区以后上传的文件自动使用",
                on_click=guard(_save),
                args=(data_dir, code, result.kind, whole),
            )
    said = st.session_state.pop("up_mapping_saved", None)
    if said:
        st.success(text.plain(said), icon=":material/save:")


def _apply_text(digest: str, kind: str, text_key: str) -> None:
    try:
        _keep(digest, Mapping.parse(str(st.session_state.get(text_key, "")), kind))
    except RefusedFile as exc:
        st.session_state["up_mapping_error"] = str(exc)


def save(book: MappingBook, code: str, kind: str, mapping: Mapping) -> SavedMapping:
    """Save a mapping as the account checked now (within its scope), with an audit row."""
    who = access.check_mapping_save(code, kind)
    version = book.save(code, kind, mapping, by=who.name)
    access.audit("mapping_saved", {"region": code, "kind": kind, "version": version.version}, who)
    return version


def _save(data_dir: str, code: str, kind: str, mapping: Mapping) -> None:
    try:
        version = save(MappingBook(data_dir), code, kind, mapping)
    except access.NotAllowed as exc:
        st.session_state["up_mapping_error"] = str(exc)
        return
    st.session_state["up_mapping_saved"] = (
        f"已保存为{place_label(code)}的{kind_label(kind)}映射（第 {version.version} 版）。"
    )


def _count(m: Mapping) -> str:
    n = sum(map(len, m.values.values()))
    return f"表头 {len(m.columns)} 项、取值 {n} 项、地名 {len(m.places)} 项"


def save_region(result: IngestResult, region: str | None) -> str | None:
    return region or submitting_region(result, load_registry())


def mine(book: MappingBook) -> list[SavedMapping]:
    """The saved mappings of the regions inside the account's scope."""
    return [s for s in book.all() if access.may_save_mapping(s.region_code)]


def saved_frame(book: MappingBook) -> pd.DataFrame:
    rows = [
        {
            "地区": place_label(s.region_code),
            "数据类型": kind_label(s.kind),
            "版本": s.version,
            "保存时间": s.saved_at.replace("T", " ").rstrip("Z"),
            "保存人": s.by or "—",
            "表头": len(s.mapping.columns),
            "取值": sum(map(len, s.mapping.values.values())),
            "地名": len(s.mapping.places),
            "状态": "已停用" if s.mapping.is_empty else "自动使用",
        }
        for s in mine(book)
    ]
    return pd.DataFrame(rows)


def saved_tab(data_dir: str) -> None:
    """The saved mappings: which region and kind, every version, the text, a new version or stop using it."""
    book = MappingBook(data_dir)
    every = mine(book)  # the regions of the account's scope
    st.markdown(
        "上传时确认过的表头、取值和地名可保存为某地区、某类数据的映射；该地区（含下属县区）以后上传的文件自动使用，"
        "上传页会写明使用了哪一版。每次保存都是新版本，旧版本保留。"
    )
    if not every:
        st.info("还没有保存任何映射。在「上传报表」中确认映射后点「保存映射」即可。", icon=":material/info:")
        return
    frame = saved_frame(book)
    st.dataframe(frame, hide_index=True, width="stretch", height="content")
    pick = st.selectbox(
        "查看或修改",
        range(len(every)),
        format_func=lambda i: f"{place_label(every[i].region_code)} · {kind_label(every[i].kind)}",
        key="up_saved_pick",
    )
    chosen = every[pick]
    versions = book.versions(chosen.region_code, chosen.kind)
    if len(versions) > 1:
        number = st.selectbox(
            "版本",
            [v.version for v in reversed(versions)],
            format_func=lambda n: f"第 {n} 版" + ("（当前使用）" if n == versions[-1].version else ""),
            key=f"up_saved_version_{chosen.region_code}_{chosen.kind}",
        )
        shown = next(v for v in versions if v.version == number)
    else:
        shown = versions[-1]
    st.caption(
        text.plain(f"第 {shown.version} 版，{shown.saved_at.replace('T', ' ').rstrip('Z')} 由 {shown.by or '—'} 保存")
    )
    written = st.text_area(
        "映射内容（修改后保存为新版本）",
        shown.mapping.to_yaml() or "{}",
        height=180,
        key=f"up_saved_text_{chosen.region_code}_{chosen.kind}_{shown.version}",
    )
    c1, c2 = st.columns(2)
    if c1.button("保存为新版本", key="up_saved_save", icon=":material/save:"):
        try:
            v = save(book, chosen.region_code, chosen.kind, Mapping.parse(written, chosen.kind))
        except (RefusedFile, access.NotAllowed) as exc:
            st.error(text.plain(str(exc)), icon=":material/error:")
        else:
            st.success(f"已保存为第 {v.version} 版。", icon=":material/save:")
    if not chosen.mapping.is_empty and c2.button(
        "停用（保存一个空版本）", key="up_saved_stop", icon=":material/block:", help="以后的文件不再自动使用此映射"
    ):
        try:
            v = save(book, chosen.region_code, chosen.kind, Mapping())
        except access.NotAllowed as exc:
            st.error(text.plain(str(exc)), icon=":material/error:")
        else:
            st.success(f"已停用（第 {v.version} 版为空映射）。", icon=":material/block:")
