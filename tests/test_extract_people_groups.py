"""People and groups: exact facts on the seeds, and the roster / prose forms of other plans
run through the whole pipeline (including traditional characters and an HTML table)."""

from __future__ import annotations

import re

import pytest

from kg.extract import rosters
from kg.model import Document, Group, Person
from kg.normalize import normalize
from kg.pipeline import process_text
from tests.conftest import gold, seed_doc


def _group(doc: Document, name: str) -> Group:
    found = [g for g in doc.groups if g.name == name]
    assert found, f"{name} not among {[g.name for g in doc.groups]}"
    return found[0]


def _person(doc: Document, name: str) -> Person:
    found = [p for p in doc.people if p.name == name]
    assert found, f"{name} not among {[p.name for p in doc.people]}"
    return found[0]


def _quoted(text: str) -> str:
    """What a span quotes, as the extractor saw it: normalized (simplified, 區(qū) -> 区),
    padding between the characters of a name gone (封 ?波 -> 封波)."""
    return re.sub(r"[\s?]", "", normalize(text).text)


# ------------------------------------------------------------------------------ seeds


def test_roster_people_with_their_posts() -> None:
    doc = seed_doc("000")
    assert len(doc.people) == 12
    assert [h.post for h in _person(doc, "周恩海").posts] == ["区委副书记", "区政府区长"]
    assert [h.post for h in _person(doc, "封波").posts] == ["区委常委", "区政府常务副区长"]
    chen = _person(doc, "陈林")
    assert [h.post for h in chen.posts] == ["区委常委", "宣传部部长"]
    # the 宣传部 of a 区委常委 is the 区委宣传部; resolve turned the name into its id
    assert chen.posts[1].org is not None and chen.posts[1].org.endswith("区委宣传部")
    assert _person(doc, "陈晏").posts[0].org.endswith("区委组织部")
    assert [h.post for h in _person(doc, "曾辉").posts] == ["区规划和自然资源局局长"]


@pytest.mark.needs_shared
def test_people_match_the_gold_exactly() -> None:
    for prefix in ("000", "001", "002", "003", "004"):
        doc = seed_doc(prefix)
        want = {p["name"]: p["posts"] for p in gold(prefix)["people"]}
        assert {p.name: [h.post for h in p.posts] for p in doc.people} == want, prefix


def test_leading_group_from_the_annex_roster() -> None:
    doc = seed_doc("000")
    g = _group(doc, "教育改革领导小组")
    assert (g.kind, g.parent, g.org) == ("leading_group", None, g.org)
    assert g.leaders == ["周恩海"]
    assert g.deputies == ["李泽玉", "封波", "陈林", "李俊杰", "唐洪芳", "周晓东"]
    assert g.office_in == "区教委"
    assert g.lead_unit is None
    assert len(g.members) == 21 and g.members[0] == "区委办公室"
    assert "重庆旅游职业学院" in g.members and "各乡镇街道" not in g.members
    assert g.duties[0] == "审议教育改革发展的重大方针和政策措施"


def test_working_groups_under_the_leading_group() -> None:
    doc = seed_doc("000")
    working = [g for g in doc.groups if g.kind == "working_group"]
    assert [g.name for g in working] == ["教学教研组", "人事改革组", "资金保障组", "规划建设组", "政策宣传组"]
    assert {g.parent for g in working} == {"教育改革领导小组"}
    g = _group(doc, "政策宣传组")
    assert (g.leaders, g.deputies, g.lead_unit) == (["陈林"], ["王永"], "区委宣传部")
    assert g.duties and g.duties[0].startswith("充分发挥新闻媒体作用")


def test_the_issuer_is_not_a_group_of_its_own_plan() -> None:
    # 中共重庆市黔江区委教育工作领导小组 issues the plan; the plan sets up no such group
    assert [g.name for g in seed_doc("000").groups if "区委" in g.name] == []


def test_task_force_with_lead_unit_and_members_in_prose() -> None:
    doc = seed_doc("001")
    g = _group(doc, "跨部门创建攻坚工作专班")
    assert g.kind == "task_force"
    assert g.lead_unit == "区政府教育督导委"
    assert g.members == ["区委编办", "区教委", "区财政局", "区人社局"]
    rectify = _group(doc, "履行教育职责问题整改工作领导小组")
    assert rectify.leaders == []  # 区政府分管教育工作的领导: no person named
    assert rectify.members == ["区政府办", "区教委"]
    assert rectify.office_in == "区教委"  # 领导小组下设办公室(在区教委)
    assert _group(doc, "迁建项目专项工作组").parent is None
    # 区整改工作领导小组办公室 later on is the same group, not a second one
    assert len(doc.groups) == 3
    assert doc.people == []


@pytest.mark.needs_shared
def test_groups_match_the_gold_names_and_leaders() -> None:
    for prefix in ("000", "001", "002", "003", "004"):
        doc = seed_doc(prefix)
        want = {g["name"]: (g["parent"], g["leaders"], g["deputies"], g["lead_unit"], g["office_in"])
                for g in gold(prefix)["groups"]}
        got = {g.name: (g.parent, g.leaders, g.deputies, g.lead_unit, g.office_in) for g in doc.groups}
        assert got == want, prefix


def test_spans_quote_the_source() -> None:
    for prefix in ("000", "001", "003"):
        doc = seed_doc(prefix)
        for g in doc.groups:
            assert g.span is not None and g.span.text == doc.source[g.span.start:g.span.end]
            assert _quoted(g.span.text) == g.name
        for p in doc.people:
            assert p.span is not None and _quoted(p.span.text) == p.name
            for h in p.posts:
                assert h.span is not None and _quoted(h.span.text) == h.post


# ------------------------------------------------------------------------------ other forms

TRADITIONAL = """關於成立縣教育工作領導小組的通知
各鄉鎮人民政府,縣直各單位:
為加強對教育工作的領導,經研究,決定成立縣教育工作領導小組。現將組成人員通知如下:
組  長:縣委副書記、縣長 王建國
副組長:縣委常委、常務副縣長 李明
        縣政府副縣長 張紅
成  員:縣教體局局長 劉強
        縣財政局局長 趙剛
領導小組辦公室設在縣教體局,劉強同志兼任辦公室主任。
"""


def test_traditional_roster_with_posts_before_names() -> None:
    doc = process_text(TRADITIONAL)
    g = _group(doc, "县教育工作领导小组")
    assert g.leaders == ["王建国"]
    assert g.deputies == ["李明", "张红"]
    assert g.members == ["县教体局", "县财政局"]  # the units the member officials head
    assert g.office_in == "县教体局"
    assert [h.post for h in _person(doc, "王建国").posts] == ["县委副书记", "县长"]
    assert [h.post for h in _person(doc, "张红").posts] == ["县政府副县长"]
    assert {p.name for p in doc.people} == {"王建国", "李明", "张红", "刘强", "赵刚"}
    span = _person(doc, "张红").span
    assert span is not None and span.text == "張紅"


HTML_TABLE = """<html><body><h1>关于调整区教育督导工作领导小组成员的通知</h1>
<p>因人员变动,现将调整后的区教育督导工作领导小组成员名单通知如下:</p>
<table><tr><td>职务</td><td>姓名</td><td>单位及职务</td></tr>
<tr><td>组长</td><td>王建国</td><td>区委副书记、区长</td></tr>
<tr><td>副组长</td><td>欧阳明远</td><td>区政府副区长</td></tr>
<tr><td>成员</td><td>刘强</td><td>区教委主任</td></tr>
<tr><td>成员</td><td>赵刚</td><td>区财政局局长</td></tr></table>
<p>领导小组下设办公室(在区教委),负责日常工作。</p></body></html>"""


def test_roster_in_an_html_table_one_cell_per_line() -> None:
    doc = process_text(HTML_TABLE, is_html=True)
    g = _group(doc, "区教育督导工作领导小组")
    assert (g.leaders, g.deputies) == (["王建国"], ["欧阳明远"])
    assert g.members == ["区教委", "区财政局"]
    assert g.office_in == "区教委"
    assert [h.post for h in _person(doc, "欧阳明远").posts] == ["区政府副区长"]
    assert len(doc.people) == 4


PROSE = """一、保障措施
(一)加强组织领导。成立以区委副书记张三为组长,区政府副区长李四、区教委主任王五为副组长,区级相关部门主要负责人为成员的区“双减”工作领导小组,领导小组办公室设在区教委。领导小组下设综合协调组、宣传报道组和督查督办组三个工作组。
(二)建立工作专班。区教委牵头成立课后服务工作专班,区财政局、区人社局参与。
(三)强化督导。由区政府副区长赵六任组长的督导工作组每月开展一次督查。
"""


def test_roles_lead_units_and_working_groups_in_prose() -> None:
    doc = process_text(PROSE)
    g = _group(doc, "区“双减”工作领导小组")
    assert (g.leaders, g.deputies, g.office_in) == (["张三"], ["李四", "王五"], "区教委")
    subs = [x for x in doc.groups if x.parent == g.name]
    assert [x.name for x in subs] == ["综合协调组", "宣传报道组", "督查督办组"]
    task = _group(doc, "课后服务工作专班")
    assert (task.kind, task.lead_unit, task.members) == ("task_force", "区教委", ["区财政局", "区人社局"])
    assert _group(doc, "督导工作组").leaders == ["赵六"]
    assert [h.post for h in _person(doc, "张三").posts] == ["区委副书记"]
    assert _person(doc, "张三").posts[0].org is not None
    assert {p.name for p in doc.people} == {"张三", "李四", "王五", "赵六"}


def test_parenthesised_posts_and_glued_names() -> None:
    doc = process_text("附件\n区学前教育发展工作领导小组成员名单\n组长:张三(区政府区长)\n"
                       "副组长:李四(区政府副区长)、王五(区教委主任)\n"
                       "成员:刘强区财政局局长、赵刚区人力社保局局长\n"
                       "领导小组办公室设在区教委,王五同志兼任办公室主任。\n")
    g = _group(doc, "区学前教育发展工作领导小组")
    assert (g.leaders, g.deputies) == (["张三"], ["李四", "王五"])
    assert g.members == ["区财政局", "区人力社保局"]
    assert [h.post for h in _person(doc, "刘强").posts] == ["区财政局局长"]
    assert [h.post for h in _person(doc, "王五").posts] == ["区教委主任"]


def test_working_group_roster_under_a_framework_heading() -> None:
    doc = process_text("一、工作目标\n到2025年完成改革。\n二、县深化改革领导小组框架\n"
                       "(一)综合协调组\n组长:李明 县政府副县长\n牵头单位:县教体局\n"
                       "工作职责:统筹协调改革工作。\n")
    g = _group(doc, "综合协调组")
    assert (g.parent, g.leaders, g.lead_unit) == ("县深化改革领导小组", ["李明"], "县教体局")
    assert g.duties == ["统筹协调改革工作"]


SERIAL_TABLE = """<h2>关于成立县校园安全工作领导小组的通知</h2><p>一、组成人员</p>
<table><tr><td>序号</td><td>职务</td><td>姓名</td><td>工作单位及职务</td></tr>
<tr><td>1</td><td>组长</td><td>王建华</td><td>县委副书记、县长</td></tr>
<tr><td>2</td><td rowspan=2>副组长</td><td>李明</td><td>县委常委、常务副县长</td></tr>
<tr><td>3</td><td>张红</td><td>县政府副县长</td></tr>
<tr><td>4</td><td>成员</td><td>刘强</td><td>县教体局局长</td></tr></table>
<p>相关链接</p><p>关于成立县防汛抗旱指挥部的通知</p>"""


def test_numbered_table_rows_and_a_merged_role_cell() -> None:
    doc = process_text(SERIAL_TABLE, is_html=True)
    # the group the notice sets up; the page's related links name no group of it
    assert [g.name for g in doc.groups] == ["县校园安全工作领导小组"]
    g = doc.groups[0]
    assert (g.leaders, g.deputies, g.members) == (["王建华"], ["李明", "张红"], ["县教体局"])
    assert [h.post for h in _person(doc, "王建华").posts] == ["县委副书记", "县长"]


def test_member_units_named_through_their_heads() -> None:
    doc = process_text("关于成立县体育工作领导小组的通知\n一、组成人员\n组长:王建华县政府县长\n"
                       "成员:县委办、县政府办、县教体局主要负责同志\n")
    g = _group(doc, "县体育工作领导小组")
    assert g.leaders == ["王建华"]
    assert g.members == ["县委办", "县政府办", "县教体局"]


NATIONAL = """国务院办公厅关于成立第19届亚运会和第4届亚残运会工作领导小组的通知
为做好筹办工作,经国务院同意,成立第19届亚运会和第4届亚残运会工作领导小组(以下简称领导小组)。
一、组成人员
组长:
孙春兰 国务院副总理
第一副组长:
王勇 国务委员
成员:
孔绍逊 中央办公厅副主任兼秘书局局长
田玉龙 工业和信息化部党组成员、总工程师
二、其他事项
领导小组办公室设在体育总局。办公室主任由体育总局副局长高志丹兼任;副主任由浙江省副省长成岳冲,中央网信办副主任盛荣华兼任。
"""


def test_labels_on_their_own_lines_and_office_staff_in_prose() -> None:
    doc = process_text(NATIONAL)
    g = _group(doc, "第19届亚运会和第4届亚残运会工作领导小组")
    assert (g.leaders, g.deputies, g.office_in) == (["孙春兰"], ["王勇"], "体育总局")
    assert g.members == ["中央办公厅", "工业和信息化部"]
    assert [h.post for h in _person(doc, "孔绍逊").posts] == ["中央办公厅副主任", "秘书局局长"]
    assert [h.post for h in _person(doc, "田玉龙").posts] == ["工业和信息化部党组成员", "总工程师"]
    # the office's staff are people with posts, not leaders of the group
    assert [h.post for h in _person(doc, "盛荣华").posts] == ["中央网信办副主任"]
    assert _person(doc, "成岳冲").posts[0].post == "浙江省副省长"


def test_a_short_name_defined_in_brackets_is_the_same_group() -> None:
    doc = process_text("一、组织保障\n由市工信局会同市公安局、市交通局共同组成"
                       "青岛市智能网联汽车测试联席工作小组(以下简称“联席工作小组”),负责统一实施。\n"
                       "联席工作小组组织专家开展评审。\n")
    assert [g.name for g in doc.groups] == ["青岛市智能网联汽车测试联席工作小组"]
    assert doc.groups[0].members == ["市工信局", "市公安局", "市交通局"]


def test_an_expert_group_set_up_with_a_roster() -> None:
    doc = process_text("一、工作机制\n成立区教育评价改革专家组。\n组长:张三 西南大学教授 男 汉族\n"
                       "成员:李四 区教科院研究员、王五 区实验中学高级教师\n(二)成立课题组,开展研究。\n")
    assert [g.name for g in doc.groups] == ["区教育评价改革专家组"]  # 课题组 has no stem
    g = doc.groups[0]
    assert (g.kind, g.leaders, g.members) == ("working_group", ["张三"], ["区教科院", "区实验中学"])
    assert [h.post for h in _person(doc, "张三").posts] == ["西南大学教授"]


@pytest.mark.parametrize("text", [
    # a cited title, groups in general, an addressee, an office as the actor, a slogan
    "一、要求\n按照《中共某区委教育工作领导小组关于印发〈实施方案〉的通知》要求推进。\n",
    "一、要求\n健全各级党委教育工作领导小组议事规则。\n",
    "一、要求\n评审结果报省数字政府建设领导小组审定。\n",
    "一、要求\n成立工作专班,统筹推进。\n",
    "一、要求\n完善“一企一策一专班”机制。\n",
    # a statute's bodies are kinds of bodies
    "第一条 为了防御洪水,制定本条例。\n第二条 县级以上人民政府设立防汛指挥部。\n",
])
def test_no_group_where_none_is_set_up(text: str) -> None:
    assert process_text(text).groups == []


@pytest.mark.parametrize("text", [
    "一、要求\n深入学习习近平总书记重要讲话精神,区教委主任负责督办。\n",
    "一、要求\n组长:区政府分管副区长\n副组长:区教委主要负责人\n",  # posts, no names
    "一、要求\n联席会议成员由房地产、价格等行政管理部门组成。\n",
])
def test_no_person_without_a_name(text: str) -> None:
    assert process_text(text).people == []


def test_names_and_posts_by_shape() -> None:
    assert rosters.is_name("封波") and rosters.is_name("欧阳明远") and rosters.is_name("买买提·艾力")
    for word in ("区长", "组长", "成员", "区教委", "任命其", "同志", "常务副区长"):
        assert not rosters.is_name(word), word
    assert rosters.split_post("区政府常务副区长") == ("区政府", "常务副区长")
    assert rosters.split_post("区委组织部常务副部长") == ("区委组织部", "常务副部长")
    assert rosters.split_post("区长") == (None, "区长")
    assert rosters.split_post("区教委") is None
    lex = rosters.lexicon()
    assert rosters.post_org("宣传部", "区委", lex) == "区委宣传部"
    assert rosters.post_org("公安局", "县委", lex) == "县公安局"
    assert rosters.post_org("区财政局", "区委", lex) == "区财政局"
