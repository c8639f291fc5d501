"""Forms of administrative writing, each with a made-up example: table columns by the
characters of their header, tables flattened in every way, labelled fields, run-in lists,
measures outside any task section (issue 14)."""

from __future__ import annotations

import pytest

from kg import columns
from kg.pipeline import process_text


@pytest.mark.parametrize(("cell", "role"), [
    ("牵头责任单位", "lead"), ("主要责任单位", "lead"), ("协同配合单位", "support"),
    ("主要协作单位", "support"),
    ("分 管 县领导", "leader"), ("责任领导", "leader"), ("完成时限", "deadline"), ("时间节点", "deadline"),
    ("工作目标", "title"), ("具体工作任务和要求", "title"), ("序号", "key"), ("落实情况", "other"),
    ("单位", "other"), ("责任科室", "responsible"), ("姓名", "other"),
    ("县里今年要新建两所学校。", None), ("2025", None),
])
def test_a_header_cell_names_its_role_by_its_characters(cell: str, role: str | None) -> None:
    assert columns.role(cell) == role


def test_a_header_without_a_task_word_takes_its_unnamed_column_as_the_task() -> None:
    assert columns.header_roles(["序号", "为民办实事", "承办单位", "办结时间"]) == \
        ["key", "title", "responsible", "deadline"]
    assert columns.header_roles(["指标", "单位", "2025年"]) is None  # an indicator table
    assert columns.header_roles(["序号", "姓名", "职务"]) is None  # a roster


def test_a_table_one_cell_per_line_with_a_unit_per_line_and_a_second_task_in_a_row() -> None:
    text = "\n".join([
        "附件", "2031年为民办实事分解表", "序号", "为民办实事", "承办单位", "办结时间",
        "1", "改造城北污水管网8公里。", "镇建设办", "镇水务站", "10月底前",
        "2", "新建镇中心小学教学楼。", "镇教育办", "6月底前开工", "建成镇敬老院。", "12月底前",
        "3", "新增公交线路2条。", "镇交通所", "年内",
    ])
    doc = process_text(text)
    got = [(m.key, m.title, [u.mention for u in m.units]) for m in doc.measures]
    assert got == [
        ("1", "改造城北污水管网8公里", ["镇建设办", "镇水务站"]),
        ("2", "新建镇中心小学教学楼", ["镇教育办"]),
        ("2.2", "建成镇敬老院", ["镇教育办"]),
        ("3", "新增公交线路2条", ["镇交通所"]),
    ]
    assert all(m.rule == "measure.table-row.lines" for m in doc.measures)
    assert doc.measures[0].units[0].rule == "unit.table-column"
    assert doc.measures[1].school_construction
