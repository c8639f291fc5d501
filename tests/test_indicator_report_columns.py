"""Progress columns of a task table report, they set no targets (made-up example)."""

from __future__ import annotations

from kg.pipeline import process_text

TABLE = (
    "类别 | 事项名称 | 2031年度任务目标 | 责任单位 | 1-6月工作完成情况 | 1-6月工作取得成效 |\n"
    "一、教育 | 1.新建城东小学 | 新建教学楼3座。 | 县教育局 | 完成主体结构80%。 | 新增学位200个。 |\n"
    "2.扩充学位 | 新增学位600个。 | 县教育局 | 已新增学位350个。 | 完成率58%。 | |\n"
)


def test_only_the_target_column_gives_targets_dated_by_its_header() -> None:
    doc = process_text(TABLE, name="made-up.txt")
    got = sorted((i.value, i.unit, i.year) for i in doc.indicators)
    assert got == [(3.0, "座", 2031), (600.0, "个", 2031)]
