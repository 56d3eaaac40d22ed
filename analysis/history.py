"""The history of committed versions as people read it (the 数据 and 数据上传 pages, the history command)."""

from __future__ import annotations

import pandas as pd

from analysis.catalogue import kind_label
from analysis.store import Store

ACTION_LABELS = {"demo": "演示数据", "import": "导入", "rollback": "回退", "empty": "空"}


def actor(version) -> str:
    """Who made a version: the app's account name, or the operating-system user of the command line."""
    if not version.actor:
        return "（未记录）"
    return f"{version.actor}（命令行）" if version.via == "cli" else version.actor


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
                "类型": "、".join(kind_label(k) for k in v.kind.split(",") if k),
                "地区数": len(v.regions),
                "行数": total,
                "操作人": actor(v),
                "说明": v.note,
            }
        )
    frame = pd.DataFrame(rows)
    frame.attrs["decimals"] = {"版本": 0, "地区数": 0, "行数": 0}  # 12,345 行 on screen and in downloads
    return frame
