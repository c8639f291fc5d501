"""Header metadata against the gold, and the section tree."""

from __future__ import annotations

import pytest

from kg.parse import parse_meta
from tests.conftest import gold, seed_doc

FIELDS = ("title", "doc_number", "date_written", "date_published")


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
@pytest.mark.needs_shared
def test_seed_metadata_matches_gold(prefix: str) -> None:
    meta = seed_doc(prefix).meta
    expected = gold(prefix)["meta"]
    for field in FIELDS:
        assert getattr(meta, field) == expected[field], field


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003"])
@pytest.mark.needs_shared
def test_seed_jurisdiction(prefix: str) -> None:
    assert seed_doc(prefix).meta.jurisdiction == gold(prefix)["meta"]["jurisdiction"]


def test_issuer_from_the_notice_wrapper() -> None:
    assert seed_doc("000").meta.issuer == ["中共重庆市黔江区委教育工作领导小组"]
    assert seed_doc("000").meta.area_code == "500114"


def test_other_header_styles() -> None:
    meta = parse_meta("标题:关于印发《济南市教育强市建设行动方案》的通知\n发文机关:济南市人民政府\n"
                      "发文字号:济政发〔2022〕5号\n成文日期:2022年3月1日\n一、总体要求\n")
    assert meta.title == "济南市教育强市建设行动方案"
    assert meta.doc_number == "济政发〔2022〕5号"
    assert meta.issuer == ["济南市人民政府"]
    assert meta.date_written == "2022-03-01"
    assert meta.jurisdiction == "山东省济南市"


def test_section_tree_of_000() -> None:
    doc = seed_doc("000")
    tops = [(s.key, s.title) for s in doc.sections if s.level == 1]
    assert tops[:3] == [("一", "总体要求"), ("二", "工作举措"), ("三", "组织保障")]
    measures = next(s for s in doc.sections if s.key == "二")
    firsts = [c.key for c in measures.children]
    assert firsts == ["(一)", "(二)", "(三)", "(四)", "(五)"]
    items = [g.key for c in measures.children for g in c.children]
    assert items == [str(i) for i in range(1, 21)]
    assert measures.children[0].children[0].title == "推动学前教育普及普惠"
    annex = doc.sections[-1]
    assert annex.level == 0 and [c.key for c in annex.children] == ["一", "二", "三"]


def test_headed_paragraphs_of_003() -> None:
    doc = seed_doc("003")
    tasks = next(s for s in doc.sections if s.key == "三")
    second = tasks.children[1]
    assert second.key == "(二)"
    assert [c.title for c in second.children] == [
        "实施中小学德育创新改革", "实施教育教学方式改革", "实施学生健康提升工程",
        "实施学校美育提升工程", "实施学校劳动育人工程",
    ]


def test_section_spans_quote_the_file() -> None:
    doc = seed_doc("000")
    for s in doc.sections_flat():
        assert doc.source[s.span.start:s.span.end] == s.span.text
        assert s.span.text
