"""An indicator table printed one cell per line (made-up example)."""

from __future__ import annotations

from kg.pipeline import process_text

TABLE = """某县教育发展主要指标
指标
2025年
2030年
属性
一、普及水平
1.学前三年毛入园率(%)
92%
95%以上
预期性
2.人均受教育年限(年)
10.1年
11年以上
约束性
二、办学条件
1.大班额比例(%)
其中:小学
初中
6%
8%
0
1%以下
约束性
"""


def test_each_row_gives_the_latest_years_target() -> None:
    doc = process_text(TABLE, name="made-up.txt")
    got = [(i.subject, i.op, i.value, i.unit, i.year) for i in doc.indicators]
    assert got == [
        ("学前三年毛入园率", ">=", 95.0, "%", 2030),
        ("人均受教育年限", ">=", 11.0, "年", 2030),
        ("大班额比例(小学)", "=", 0.0, "%", 2030),
        ("大班额比例(初中)", "<=", 1.0, "%", 2030),
    ]
    assert {i.rule for i in doc.indicators} == {"indicator.year-column-table.lines"}


def test_the_rows_of_an_indicator_table_are_no_measures() -> None:
    assert process_text(TABLE, name="made-up.txt").measures == []
