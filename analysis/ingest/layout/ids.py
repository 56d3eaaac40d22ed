"""A household id for every roll row that has none (or has a personal number in its place): a keyed hash."""

from __future__ import annotations

from analysis.ingest.privacy import household_hash, looks_personal
from analysis.ingest.problems import Problem
from analysis.ingest.values import clean_text

NAME_HEADERS = ("姓名", "户主", "被征收人", "被拆迁人", "被搬迁人", "产权人")


ID_HEADERS = ("身份证", "证件", "公民身份", "身份号码")


# what may change between two sends of the same roll: never part of a household's identity
VOLATILE = ("mode", "channel", "status", "compensation_yuan", "purchased_area_m2", "is_hardship")


def household_ids(sheet, header, body, key: bytes, notes: list[Problem]) -> dict[int, dict[str, object]]:
    """A household id for every roll row that has none (or has a personal number in its place),
    made from the personal cells with the local key; the personal cells themselves go no further."""
    id_idx = header.columns.get("household_id", (None, ""))[0]
    id_card = next((j for j, h in header.personal.items() if any(k in h for k in ID_HEADERS)), None)
    name = next((j for j, h in header.personal.items() if any(k in h for k in NAME_HEADERS)), None)
    region_idx = next((header.columns[c][0] for c in ("region_code", "region_name") if c in header.columns), None)
    others = [header.columns.get(c, (None, ""))[0] for c in ("project", "original_area_m2")]
    if id_idx is None:
        header.columns["household_id"] = (-1, "户编号（系统生成）")

    def text(raw, j) -> str:
        return clean_text(raw[j]) if j is not None and 0 <= j < len(raw) else ""

    ids: dict[int, dict[str, object]] = {}
    replaced = 0
    for excel_row, raw in body:
        current = text(raw, id_idx)
        if current and not looks_personal(current):
            continue
        if current:
            replaced += 1
            ident: tuple[str, ...] = ("id", current)
        elif text(raw, id_card):
            ident = ("id", text(raw, id_card))
        elif text(raw, name):
            ident = ("name", text(raw, region_idx), text(raw, name), *(text(raw, j) for j in others))
        else:
            stable = [j for c, (j, _) in header.columns.items() if c not in VOLATILE and c != "household_id"]
            ident = ("row", sheet.name, *(text(raw, j) for j in stable))
        ids[excel_row] = {"household_id": household_hash(key, *ident)}
    if replaced:
        notes.append(
            Problem(
                sheet.name,
                None,
                header.columns["household_id"][1],
                "",
                f"{replaced} 行的户编号是身份证号、手机号、银行卡号或姓名，已换成不可逆的编码（原值不保存、不显示）",
                "warning",
            )
        )
    return ids
