"""Rows of `|` tables as pages print them (made-up examples)."""

from __future__ import annotations

from kg.pipeline import process_text

TABLE = (
    "类别 | 事项名称 | 年度目标 | 责任单位 | 分管领导 | 监督电话 |\n"
    "一、教育 | 7.新建城东小学 | 完成主体工程。 | 县教育局 | 王建华 | 1234567 |\n"
    "8.扩充学位供给 | 新增学位600个。 | 县教育局 | 王建华 | 1234567 | |\n"
    "9.推进课后服务 | 课后服务全覆盖。 | 县教体局 | 王建华 | 1234567 |\n"
    "索引号: | 0000/2030-001 | 成文日期: | 2030-01-02 |\n"
)


def _rows() -> dict[str, tuple[str, list[str]]]:
    doc = process_text(TABLE, name="made-up.txt")
    return {m.key: (m.title, [u.mention for u in m.units]) for m in doc.measures}


def test_a_merged_category_cell_leaves_the_row_one_cell_short() -> None:
    got = _rows()
    assert got["8"] == ("扩充学位供给", ["县教育局"])
    assert got["9"] == ("推进课后服务", ["县教体局"])


def test_the_number_in_the_task_cell_is_the_key() -> None:
    assert _rows()["7"] == ("新建城东小学", ["县教育局"])


def test_labelled_fields_under_a_table_are_no_rows() -> None:
    assert sorted(_rows()) == ["7", "8", "9"]


def test_border_pipes_are_no_empty_cells() -> None:
    doc = process_text("| 序号 | 工作任务 | 牵头单位 | 配合单位 |\n| 1 | 建设智慧校园。 | 区教委 | |\n",
                       name="made-up.txt")
    (m,) = doc.measures
    assert [(u.mention, u.role) for u in m.units] == [("区教委", "lead")]
