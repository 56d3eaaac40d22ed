"""数据上传: an analyst's county spreadsheet in, every problem named by its cell, a commit on confirmation;
blank templates; the history of commits with rollback."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from analysis import charts
from analysis.catalogue import kind_label, tables
from analysis.history import history_frame
from analysis.ingest import report, templates
from ui import access, errors, page, text, upload, widgets
from ui import mapping as mapping_step
from ui.tables import text_table

sel = page.setup("数据上传", "上传县（市、区）报表：系统读取、逐格检查，确认后才写入；每次提交都可回退。")
state = sel.state
done = st.session_state.pop("up_done", None)
if done:
    (st.success if done.get("ok", True) else st.error)(text.plain(done["message"]))
    if done.get("reporting") is not None:
        st.plotly_chart(
            charts.submission_grid(done["reporting"], "提交后的报送进度（蓝：已报送；橙：未报送）"),
            config=charts.CONFIG,
        )
tab_upload, tab_history, tab_mappings, tab_templates = st.tabs(
    ["上传报表", "提交历史与回退", "已保存的映射", "空白模板"]
)

with tab_templates:
    st.markdown("按模板填报最省事；其他格式的报表（标题行、单位行、多行表头、合计行、按年分列）也能读取。")
    cols = st.columns(3)
    for col, kind in zip(cols, tables()):
        col.download_button(
            f"{kind_label(kind)}模板",
            templates.template_bytes(kind),
            file_name=templates.template_name(kind),
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon=":material/download:",
            key=f"tpl_{kind}",
            width="stretch",
        )
    st.caption("模板含“说明”工作表：每列的含义、单位、是否必填和可填写的值。")

with tab_history:
    hist = history_frame(state.store)
    if hist.empty:
        widgets.empty_state("还没有任何提交。")
    else:
        widgets.plain_table(hist, key="up_history", file_stem="版本历史")
    if not hist.empty and not access.is_admin():  # rollback is for admins: the others see no control
        st.caption("回退由管理员操作。")
    elif not hist.empty:
        # newest first, so the default is the version just before the current one, not the oldest
        versions = sorted((v for v in hist["版本"].tolist() if v != state.version), reverse=True)
        if not versions:
            st.caption("只有一个版本，没有可回退的版本。")
        else:
            c1, c2 = st.columns([2, 1])
            target = c1.selectbox(
                "回退到版本", versions, key="up_rollback_to", help="回退会生成一个新版本，原有版本都保留，可再次回退"
            )
            sure = c1.checkbox(
                f"确认回退（替换当前版本 {state.version}；全部页面将显示所选版本的数据）", key="up_rollback_sure"
            )
            c2.button(
                "回退",
                disabled=not sure or target is None,
                key="up_rollback",
                icon=":material/undo:",
                on_click=errors.guard(upload.rollback),
                args=(state,),
            )

with tab_mappings:
    mapping_step.saved_tab(state.data_dir)

# last: the upload tab may stop the script early
with tab_upload:
    c1, c2, c3 = st.columns([1, 2, 1])
    kind = c1.selectbox("数据类型", upload.KINDS, format_func=upload.kind_label, key="up_kind")
    region = c2.selectbox(
        "所属地区（可选）",
        [None, *access.upload_regions(sel.province_code)],  # only the regions of the account's scope
        format_func=upload.region_label,
        key="up_region",
        help="文件中有“城区”“矿区”“郊区”等多个市都有的名称，而标题里又没写明所属市时，请在这里指定。",
    )
    period = c3.text_input(
        "统计月份（可选）", placeholder="如 2016-06", key="up_period", help="文件中没有写明月份时使用"
    )
    file = st.file_uploader(
        "选择报表文件（.xlsx、.xls 或 .csv，最大 50 MB）",
        type=None,  # any file: a wrong type gets a Chinese reason from the reader, not the browser's English
        key=f"up_file_{st.session_state.get('up_round', 0)}",  # a new key after a commit empties the picker
    )
    if file is None:
        st.info("选择文件后，系统会列出读取到的数据和发现的全部问题；确认无误后再提交。", icon=":material/info:")
        page.stop()
    data_bytes = file.getvalue()
    digest = upload.digest_of(data_bytes)
    checked = upload.check(
        data_bytes, file.name, kind, region, period.strip(), state.data_dir,
        mapping=mapping_step.current(digest), use_saved=not st.session_state.get("up_no_saved", False),
    )  # fmt: skip
    result = checked.result
    if isinstance(result, str):
        st.error("**无法读取该文件**：" + text.plain(result).replace("  \n", "\n\n"), icon=":material/block:")
        page.stop()
    result = access.within_scope(result)  # rows outside the account's scope are errors: no commit
    if checked.saved is not None or st.session_state.get("up_no_saved"):
        if checked.saved is not None:
            st.info(
                text.plain(
                    f"已应用保存的映射：{mapping_step.place_label(checked.saved.region_code)}的"
                    f"{kind_label(checked.saved.kind)}映射（第 {checked.saved.version} 版）。"
                ),
                icon=":material/rule_settings:",
            )
        st.checkbox("不使用已保存的映射", key="up_no_saved")

    widgets.cards(
        [
            widgets.Card(f"数据行（{kind_label(result.kind)}）", f"{len(result.frame):,}"),
            widgets.Card("错误", f"{len(result.errors)}"),
            widgets.Card("提示", f"{len(result.warnings)}"),
        ],
        key="upload",
    )
    if result.frame.empty:
        st.markdown(
            f"**识别为{kind_label(result.kind)}表**，还没有读取到数据行"
            + ("：请先确认下方的映射。" if result.open_questions else "：请查看下方的问题。")
        )
    else:
        sheets = "、".join(text.plain(s) for s in result.sheets)
        totals = (  # a refused value (a card number typed as 补偿款) never reaches the screen as a sum
            "**读取结果合计**在改正错误后显示。"
            if result.errors
            else "**读取结果合计**（请与报表中的合计行核对）："
            + "，".join(f"{text.plain(k)} {text.plain(text.figures(v))}" for k, v in report.totals(result).items())
        )
        st.markdown(f"**识别为{kind_label(result.kind)}表**，读取自工作表：{sheets}。\n\n{totals}")
    if result.dropped_personal:
        st.info(
            "已丢弃个人身份信息列（不保存、不显示）：" + "、".join(text.plain(h) for h in result.dropped_personal),
            icon=":material/shield_person:",
        )
    attention = [p for p in result.problems if p.severity != "note"]
    if attention:
        problems = report.problems_frame(sorted(attention, key=lambda p: p.severity))
        if result.errors:
            st.error(
                f"发现 {len(result.errors)} 处错误，改正后重新上传（或在下方映射中确认）；本文件不会写入任何数据。",
                icon=":material/error:",
            )
        else:
            st.warning(f"有 {len(result.warnings)} 条提示，请查看后决定是否提交。", icon=":material/warning:")
        text_table(problems, key="up_problems", limit=upload.PROBLEM_ROWS)
        widgets.downloads(
            report.problems_frame(result.problems), key="up_problems", file_stem=f"{Path(file.name).stem}_问题清单",
            notes=[f"文件：{file.name}（识别为{kind_label(result.kind)}表，工作表：{'、'.join(result.sheets)}）"],
            about_view=False,
        )  # fmt: skip
    elif result.ok:
        st.success("逐行检查通过，每一列都已识别或确认不导入，没有发现问题。", icon=":material/task_alt:")
    if result.notes:
        with st.expander(f"读取说明（{len(result.notes)} 条：怎样读取的、哪些行列未导入，不影响提交）"):
            text_table(report.problems_frame(result.notes), key="up_notes", limit=upload.PROBLEM_ROWS)

    mapping_step.step(result, digest)
    mapping_step.editor(result, digest, region, state.data_dir, checked.saved)

    if not result.frame.empty:
        st.subheader("读取到的数据（预览）")
        rows = upload.preview(result)
        pinned = widgets.column_config(rows, pinned=("行", "地区"))  # a wide file scrolls; its rows stay named
        st.dataframe(rows, hide_index=True, width="stretch", column_config=pinned,
                     height="content" if len(rows) <= upload.PREVIEW_WHOLE else 35 * (upload.PREVIEW_WINDOW + 1) + 3)  # fmt: skip
        if len(result.frame) > upload.PREVIEW_ROWS:
            st.caption(f"仅显示前 {upload.PREVIEW_ROWS} 行，共 {len(result.frame):,} 行。")

    acknowledged = True
    if result.warnings and result.ok:
        acknowledged = st.checkbox("我已查看以上提示，确认提交", key="up_ack")
    st.button(
        "确认提交",
        type="primary",
        disabled=not result.ok or not acknowledged,
        help="有错误的文件不能提交" if not result.ok else "写入为新版本；同一地区、同一期的旧数据将被替换",
        icon=":material/cloud_upload:",
        key="up_commit",
        on_click=errors.guard(upload.commit_clicked),
        args=(result, state, region),
    )
