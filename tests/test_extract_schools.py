"""School construction flags and named school projects on the seeds."""

from __future__ import annotations

import json

import pytest

from kg.extract import schools
from kg.model import Document, Measure
from tests.conftest import gold, seed_doc


def _bigrams(s: str) -> set[str]:
    return {s[i:i + 2] for i in range(len(s) - 1)} or {s}


def _sim(a: str, b: str) -> float:
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y))


def _with_gold_measures(prefix: str) -> tuple[Document, dict]:
    """A seed whose measures are the sections matching the gold measure titles, so the
    flag is tested whatever the measures component currently produces."""
    doc = seed_doc(prefix)
    g = gold(prefix)
    copy = Document(doc.doc, doc.path, doc.source, doc.text, doc.starts, doc.ends, sections=doc.sections)
    for gm in g["measures"]:
        best = max(doc.sections_flat(), key=lambda s: _sim(s.title, gm["title"]))
        if _sim(best.title, gm["title"]) >= 0.5:
            copy.measures.append(Measure(gm["key"], best.title, doc.text[best.start:best.end], best.span,
                                         start=best.start, end=best.end))
    schools.extract(copy)
    return copy, g


@pytest.mark.needs_shared
def test_school_construction_flags_match_gold() -> None:
    for prefix in ("000", "002", "003", "004"):
        doc, g = _with_gold_measures(prefix)
        expected = {m["key"]: m["school_construction"] for m in g["measures"]}
        got = {m.key: m.school_construction for m in doc.measures}
        assert got == {k: expected[k] for k in got}, prefix
        assert len(got) >= len(expected) - 1


@pytest.mark.needs_shared
def test_flag_adds_topic() -> None:
    doc, _ = _with_gold_measures("000")
    flagged = [m for m in doc.measures if m.school_construction]
    assert [m.key for m in flagged] == ["1", "2", "3", "4"]
    assert all(schools.TOPIC in m.topics for m in flagged)


def test_designations_bases_and_mergers_are_not_construction() -> None:
    assert not schools.is_construction("建成国市区级体育特色学校30所以上")
    assert not schools.is_construction("新增武陵中学、黄溪中学等体育特色学校")
    assert not schools.is_construction("建成市级劳动教育示范校10所、劳动教育实践基地3个")
    assert not schools.is_construction("整合区教师进修学校、区电大资源,建成渝东南教师进修学院")
    assert not schools.is_construction("设立中小学卫生保健所")
    assert not schools.is_construction("将学校建设成为教书育人的坚强战斗堡垒")
    assert not schools.is_construction("带动薄弱学校、农村学校、新建学校增强自身造血机能")
    assert schools.is_construction("新增校舍2.4万平方米,学位2400个")
    assert schools.is_construction("完成26所学校建设")
    assert schools.is_construction("改(扩)建黔江初级中学、新华初级中学")


def test_named_school_projects_get_their_own_action() -> None:
    doc = seed_doc("000")
    by_name = {p.name: p for p in doc.schools}
    assert by_name["西村小学"].action == "新建"
    assert by_name["积富小学"].action == "新建"
    assert by_name["城南小学"].action == "迁建"
    assert by_name["黔江初级中学"].action == "改扩建"
    assert by_name["武陵中学"].action == "续建"
    key = by_name["西村小学"].measure
    assert key is not None and key.split(".")[-1] == "2"
    for p in doc.schools:
        assert p.span.text == doc.source[p.span.start:p.span.end]
        assert p.name in doc.text
    json.dumps([p.name for p in doc.schools], ensure_ascii=False)


def test_projects_named_before_their_action() -> None:
    names = {(n, a) for n, a, _, _ in schools.projects_in(
        "加快华中师大附中新建项目、长寿中学桃花溪校区扩建项目的建设步伐。二是已将重庆市医药学校迁建项目纳入")}
    assert names == {("华中师大附中", "新建"), ("长寿中学桃花溪校区", "扩建"), ("重庆市医药学校", "迁建")}


# ---------------------------------------------------------------- forms beyond the seeds
# Made-up examples: other places and names than the documents that showed the need.


def test_premises_finished_or_opened_are_construction() -> None:
    assert schools.is_construction("确保七中新校区、城西小学、第三幼儿园年底前投入使用")
    assert schools.is_construction("河东中学教学楼主体完工")
    assert not schools.is_construction("学校智能安防系统投入使用")


def test_places_added_with_words_between_the_verb_and_the_places() -> None:
    assert schools.is_construction("扩充公办初中学位至2600个")
    assert schools.is_construction("新增普惠性幼儿园学位1500个")
    assert not schools.is_construction("新增硕士学位授权点2个")
    assert not schools.is_construction("通过政府购买学位方式提供")


def test_short_school_names_and_project_nouns_after_the_school() -> None:
    assert schools.is_construction("完成县五中迁建项目和城东学校主体建设")
    assert schools.is_construction("实施新建、改扩建学校重点建设项目9个")
    assert not schools.is_construction("推进一中心两平台建设")


def test_table_rows_labelled_records_and_one_line_items() -> None:
    assert schools.is_construction("南湖小学 | 新建 | 2026年8月 | 区教育局")
    assert schools.is_construction("项目名称:滨江实验学校\n建设内容:总建筑面积2.1万平方米,设48个教学班")
    assert not schools.is_construction("项目名称:滨江体育公园\n建设内容:总建筑面积2.1万平方米")
    assert schools.is_construction("4.北关小学扩建工程")
    found = {(n, a, r) for n, a, _, _, r in schools.projects_with_rules("4.北关小学扩建工程")}
    assert found == {("北关小学", "扩建", "school.named-before-action")}
    cells = schools.projects_with_rules("| 2 | 西苑幼儿园迁建项目 | 县教育局 |")
    assert [(n, a) for n, a, *_ in cells] == [("西苑幼儿园", "迁建")]


def test_every_school_project_names_its_rule() -> None:
    doc = seed_doc("000")
    assert doc.schools and all(p.rule.startswith("school.") for p in doc.schools)


def test_a_verb_run_after_zheng_builds_nothing_but_the_next_one_does() -> None:
    # 整改建议 holds 改建; the search goes on after it, so a build verb further on still counts
    names = {(n, a) for n, a, _, _ in schools.projects_in("落实整改建设方案,新建东湖小学、西山幼儿园")}
    assert names == {("东湖小学", "新建"), ("西山幼儿园", "新建")}
    assert schools.projects_in("落实整改建议书中学") == []


def test_a_designation_programme_and_a_hospital_building_are_no_school_construction() -> None:
    from kg.extract import schools
    assert not schools.is_construction("立项建设20所市级优秀中等职业学校和40个优质专业。")
    assert not schools.is_construction("建设市人民医院医疗综合楼,推进县中医院迁建。")
    assert schools.is_construction("新建教学综合楼1栋,新增学位900个。")
