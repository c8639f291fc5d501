"""Box-drawn task tables with wrapped and merged cells (made-up example)."""

from __future__ import annotations

from kg.pipeline import process_text

TABLE = """某县2031年重点工作责任分解
┌──────────────┬───┬──────────┬────┐
│ 工 作 任 务 │分管领│牵头单位 │完成时限│
│ │ 导 │ │ │
├──────────────┼───┼──────────┼────┤
│推进教育优质发展 │张国栋│县教育局、县财政│年底前 │
├──────────────┤ │局 │ │
│△新建城南小学一所,增加学│ │ │ │
│位1200个 │ ├──────────┤ │
│△实施校舍安全改造工程 │ │县住建局 │ │
│△建设智慧校园 │ │ │ │
└──────────────┴───┴──────────┴────┘
"""


def _measures() -> list[tuple[str, list[str], str]]:
    doc = process_text(TABLE, name="made-up.txt")
    return [(m.title, [u.mention for u in m.units if u.role == "lead"], m.rule) for m in doc.measures]


def test_each_bulleted_item_is_a_task_and_the_heading_cell_groups_them() -> None:
    got = _measures()
    titles = [t for t, _, _ in got]
    assert titles == ["新建城南小学一所,增加学位1200个", "实施校舍安全改造工程", "建设智慧校园"]
    assert {r for _, _, r in got} == {"measure.table-row.box"}


def test_a_merged_unit_cell_runs_beside_the_tasks_until_its_rule() -> None:
    got = _measures()
    assert got[0][1] == ["县教育局", "县财政局"]  # wrapped over two lines, closed by ├───┤ mid-line
    assert got[1][1] == ["县住建局"] and got[2][1] == ["县住建局"]


def test_the_leader_cell_spans_every_task() -> None:
    doc = process_text(TABLE, name="made-up.txt")
    assert "张国栋" in {p.name for p in doc.people}
