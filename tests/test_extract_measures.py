"""Measures, responsible units and organizations: on the seeds against gold, and on small
texts in the other forms real plans use (tables, prose clauses, traditional characters)."""

from __future__ import annotations

import pytest

from kg.extract import orgnames
from kg.extract.measures import deadline_of
from kg.pipeline import process_text
from kg.resolve import organization
from tests.conftest import gold, seed_doc

SEEDS = ["000", "001", "002", "003", "004"]


def _units(doc, key):
    m = next(m for m in doc.measures if m.key == key)
    return {u.mention: u.role for u in m.units}


@pytest.mark.parametrize("prefix", SEEDS)
@pytest.mark.needs_shared
def test_measure_titles_match_gold(prefix):
    doc, g = seed_doc(prefix), gold(prefix)
    assert len(doc.measures) == len(g["measures"])
    titles = [m.title for m in doc.measures]
    hits = sum(any(gm["title"][:6] in t for t in titles) for gm in g["measures"])
    assert hits >= len(g["measures"]) - 1  # one seed title is garbled in the source


def test_numbered_items_under_groupings_are_the_measures():
    doc = seed_doc("000")
    assert [m.key for m in doc.measures] == [str(i) for i in range(1, 21)]
    assert doc.measures[0].title == "推动学前教育普及普惠"
    assert doc.measures[9].deadline_year == 2023  # 10. … 2023年底前基本…


def test_headed_paragraphs_are_measures_with_paths():
    keys = [m.key for m in seed_doc("003").measures]
    assert keys[:3] == ["三.(一)", "三.(二)", "三.(二).1"]
    assert "三.(三).2" in keys  # 深化“通武廊”教育协同发展: a heading may quote


def test_unit_list_with_names_holding_he():
    units = _units(seed_doc("000"), "1")
    assert list(units) == ["区教委", "区发展改革委", "区财政局", "区住房城乡建委", "区规划和自然资源局"]
    assert set(units.values()) == {"responsible"}


def test_lead_and_support_from_prose():
    doc = seed_doc("001")
    assert _units(doc, "6") == {"区卫健委": "lead", "区教委": "support"}
    eight = _units(doc, "8")
    assert eight["区政府教育督导委"] == "lead" and eight["区教委"] == "lead"
    assert eight["区委编办"] == "support" and eight["区人社局"] == "support"
    one = _units(doc, "1")  # 区教委将协同区编办、区人社局、区财政局
    assert one == {"区教委": "responsible", "区编办": "support", "区人社局": "support", "区财政局": "support"}


def test_roles_marked_in_lists():
    doc = process_text(
        "一、重点任务\n1.推进学前教育。加快建设。(责任单位:区教委(牵头)、区财政局、村(居)委会)\n"
        "2.加强师资。(责任单位:区人社局、区教委)\n注:列第一位的为牵头单位。\n"
    )
    assert _units(doc, "1") == {"区教委": "lead", "区财政局": "responsible", "村(居)委会": "responsible"}
    assert _units(doc, "2") == {"区人社局": "lead", "区教委": "responsible"}


def test_generic_bodies_and_institutions_in_prose():
    assert _units(seed_doc("002"), "(七)") == {"公安部门": "responsible"}
    assert "武清区教育发展战略研究会" in _units(seed_doc("003"), "三.(四).2")


def test_catch_alls_and_projects_are_not_units():
    doc = process_text(
        "一、重点任务\n"
        "1.新建学校。新建西村小学、积富小学,各有关单位、各级各类学校要积极配合。"
        "建设省级示范中心。(责任单位:县教育局)\n"
    )
    assert _units(doc, "1") == {"县教育局": "responsible"}


def test_table_rows_become_measures_with_column_roles():
    doc = process_text(
        "某县教育重点任务分解表\n"
        "序号|重点任务|牵头单位|配合单位|完成时限\n"
        "1|新建城南小学,新增学位1000个|县教育局|县财政局、县自然资源局|2025年底前\n"
        "2|推进集团化办学|县教育局|各乡镇人民政府|2024年\n"
    )
    assert [m.key for m in doc.measures] == ["1", "2"]
    first = doc.measures[0]
    assert first.title.startswith("新建城南小学")
    assert {u.mention: u.role for u in first.units} == {
        "县教育局": "lead", "县财政局": "support", "县自然资源局": "support"}
    assert first.deadline_year == 2025 and first.school_construction
    assert doc.measures[1].deadline_year == 2024  # a bare year in the 完成时限 column


def test_html_table_in_traditional_characters_with_web_junk():
    html = (
        "<html><head><script>var a=1;</script></head><body><div class=nav>首页 | 关于</div>"
        "<h1>某縣教育重點任務分解表</h1><table>"
        "<tr><td>序號</td><td>重點任務</td><td>牽頭單位</td><td>配合單位</td><td>完成時限</td></tr>"
        "<tr><td>1</td><td>新建城南小學,新增學位1000個</td><td>縣教育局</td><td>縣財政局、縣自然資源局</td>"
        "<td>2025年底前</td></tr></table><div class=footer>版权所有</div></body></html>"
    )
    doc = process_text(html, is_html=True)
    (m,) = doc.measures
    assert m.title == "新建城南小学,新增学位1000个" and m.school_construction
    roles = {u.mention: u.role for u in m.units}
    assert roles == {"县教育局": "lead", "县财政局": "support", "县自然资源局": "support"}
    assert m.units[0].span.text == "縣教育局"  # spans quote the original page


def test_table_one_cell_per_line():
    doc = process_text(
        "任务分工\n序号\n工作任务\n责任单位\n完成时限\n"
        "1\n改扩建第一中学\n县教育局、县住建局\n2024年底前\n"
        "2\n开展教师培训\n县教育局\n长期\n"
    )
    assert [m.title for m in doc.measures] == ["改扩建第一中学", "开展教师培训"]
    assert {u.mention for u in doc.measures[0].units} == {"县教育局", "县住建局"}


def test_traditional_characters():
    doc = process_text("二、重點任務\n(一)推進學前教育發展。由縣教育局牽頭,縣財政局積極配合。\n")
    assert doc.measures[0].title == "推进学前教育发展"
    assert _units(doc, "(一)") == {"县教育局": "lead", "县财政局": "support"}


def test_laws_have_no_measures():
    doc = process_text("第一章 总则\n第一条 为了规范教育工作,制定本条例。\n第二条 县教育局负责实施。\n")
    assert doc.measures == []


@pytest.mark.parametrize("text,year", [
    ("2023年底前基本完成", 2023), ("到2025年,全区", 2025), ("“十四五”末实现", 2025),
    ("2022年以来已建成", None),
])
def test_deadlines(text, year):
    assert deadline_of(text)[1] == year


def test_list_splitting():
    text = "区卫健委和区教委、团区委、村(居)委会、各有关单位"
    assert [text[a:b] for a, b in orgnames.split_list(text)] == ["区卫健委", "区教委", "团区委", "村(居)委会"]


def test_organizations_are_scoped_by_jurisdiction():
    a = organization("区教委", "重庆市黔江区")
    b = organization("区教委", "重庆市长寿区")
    assert a.id != b.id and a.name == "黔江区教育委员会"
    assert organization("黔江区教育委员会", "重庆市黔江区").id == a.id
    assert organization("区编办", "重庆市黔江区").id == organization("区委编办", "重庆市黔江区").id
    assert organization("市教委", "重庆市黔江区").id == "重庆市/市教育委员会"


def test_units_carry_organization_ids_and_aliases():
    doc = seed_doc("001")
    unit = next(u for m in doc.measures for u in m.units if u.mention == "区人社局")
    org = next(o for o in doc.organizations if o.id == unit.org)
    assert org.name == "长寿区人力资源和社会保障局" == unit.name
    assert "区人社局" in org.aliases
    assert org.jurisdiction == "重庆市长寿区"
