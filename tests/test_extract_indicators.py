"""Numeric targets on the seeds: exact facts from the gold annotations."""

from __future__ import annotations

from kg.extract import indicators
from kg.model import Document, Indicator
from tests.conftest import seed_doc


def _find(doc: Document, value: float, unit: str) -> list[Indicator]:
    return [i for i in doc.indicators if i.value == value and i.unit == unit]


def test_myopia_targets_are_three_upper_bounds_by_2025() -> None:
    doc = seed_doc("003")
    rows = [i for i in doc.indicators if "近视率" in i.subject and i.unit == "%"]
    assert sorted(i.value for i in rows) == [38, 60, 70]
    assert {(i.op, i.year) for i in rows} == {("<=", 2025)}
    assert {i.measure for i in rows} == {"三.(二).3"}


def test_range_is_one_row_with_value_max() -> None:
    doc = seed_doc("000")
    (row,) = _find(doc, 8, "人")
    assert (row.op, row.value, row.value_max, row.year, row.measure) == ("~", 8, 10, 2025, None)
    assert row.span.text == "8~10人"


def test_target_ops_follow_the_wording() -> None:
    doc = seed_doc("000")
    assert [(i.op, i.year) for i in _find(doc, 65, "%")] == [(">=", 2025)]  # 达65%以上
    assert [(i.op, i.year) for i in _find(doc, 2, "所")] == [("=", 2025)]  # 培育2所
    assert [(i.op, i.year) for i in _find(doc, 3.5, "万人")] == [(">=", 2025)]  # “十四五”期间…达到3.5万人
    assert [i.op for i in _find(doc, 1.5, "%")] == [">="]  # 不低于教师工资总额1.5%
    doc3 = seed_doc("003")
    assert [(i.op, i.unit) for i in _find(doc3, 0.5, "")] == [("<=", "")]  # 小于或等于0.5和0.45
    assert [(i.op, i.year) for i in _find(doc3, 30186, "个")] == [("~", 2025)]  # 预计新增学位


def test_findings_and_achievements_are_not_targets() -> None:
    doc = seed_doc("001")
    values = {(i.value, i.unit) for i in doc.indicators}
    assert (82, "所") not in values
    assert (392, "人") not in values
    assert (65, "%") not in values and (86.92, "%") not in values
    assert values == {(46, "个"), (0.9, "万人次")}
    assert {i.year for i in doc.indicators} == {2024}
    doc3 = seed_doc("003")
    background = next(s for s in doc3.sections_flat() if s.title == "发展基础")
    assert not [i for i in doc3.indicators if background.span.start <= i.span.start < background.span.end]


def test_annual_plan_targets_take_the_plan_year() -> None:
    doc = seed_doc("004")
    assert {i.year for i in doc.indicators} == {2013}
    assert [(i.op, i.value_max) for i in _find(doc, 3, "所")] == [("~", 5)]  # 3-5所


def test_spans_quote_the_source() -> None:
    for prefix in ("000", "001", "002", "003", "004"):
        doc = seed_doc(prefix)
        assert doc.indicators
        for i in doc.indicators:
            assert i.span.text == doc.source[i.span.start:i.span.end]
            assert i.span.text


def test_numbers_and_deadlines() -> None:
    lex = indicators.lexicon()
    assert indicators.to_number("十五") == 15
    assert indicators.to_number("两") == 2
    assert indicators.sentence_year("到“十四五”末,学生体质健康标准优良率50%以上", lex) == 2025
    assert indicators.sentence_year("2023年底前基本完成中小学领导体制调整", lex) == 2023
    assert indicators.sentence_year("“十三五”以来,新增学位11940个", lex) is None
    assert indicators.sentence_year("落实《规划(2016—2030)》", lex) is None
