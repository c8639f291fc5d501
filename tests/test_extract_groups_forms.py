"""Groups in the forms plans and news reports write them, each with a made-up example:
a notice's (wrapped) title, a body that names the notice's group differently, sub-groups
enumerated in prose, 组长(召集人) labels, roles written after a group's name in news, an office
that acts, a group in a responsibility tag, abridged names; and what is no group."""

from __future__ import annotations

from kg.model import Document, Group
from kg.pipeline import process_text


def _doc(text: str) -> Document:
    return process_text(text, "made-up.txt")


def _names(doc: Document) -> list[str]:
    return [g.name for g in doc.groups]


def _group(doc: Document, name: str) -> Group:
    found = [g for g in doc.groups if g.name == name]
    assert found, f"{name} not among {_names(doc)}"
    return found[0]


def test_wrapped_notice_title_sets_up_the_group_and_its_fragment_is_none() -> None:
    doc = _doc(
        "县人民政府办公室关于成立县创建省级\n"
        "文明城市工作\n"
        "领导小组的通知\n"
        "各乡镇人民政府,县直各部门:\n"
        "为加强领导,县政府决定成立县创建省级文明城市工作领导小组,现将组成人员通知如下:\n"
        "组长:王建军 县长\n"
        "副组长:李海涛 副县长\n"
        "领导小组下设办公室,办公室设在县住建局,办公室主任由李海涛同志兼任。\n")
    assert _names(doc) == ["县创建省级文明城市工作领导小组"]
    g = doc.groups[0]
    assert g.rule == "group.notice-title"
    assert (g.leaders, g.deputies, g.office_in) == (["王建军"], ["李海涛"], "县住建局")


def test_body_names_the_notices_group_in_other_words() -> None:
    doc = _doc(
        "县教育局关于建立\n"
        "《学生综合素质评价》工作领导小组的通知\n"
        "各中小学:\n"
        "经研究,决定建立县教育局《评价》实施工作领导小组,现将领导小组名单公布如下:\n"
        "一、领导小组\n"
        "组长:钱学东\n"
        "副组长:孔令辉\n"
        "二、考核小组\n"
        "组长:孔令辉(兼)\n"
        "副组长:范晓燕\n")
    assert _names(doc) == ["《学生综合素质评价》工作领导小组", "考核小组"]
    lead = doc.groups[0]
    assert (lead.leaders, lead.deputies) == (["钱学东"], ["孔令辉"])
    check = _group(doc, "考核小组")
    assert (check.leaders, check.rule) == (["孔令辉"], "group.roster-heading")
    assert check.parent == "《学生综合素质评价》工作领导小组"  # listed in the notice's roster


def test_task_forces_set_up_under_the_group_in_a_sections_opening_words() -> None:
    doc = _doc(
        "为推进乡村振兴,成立县乡村振兴工作领导小组。\n"
        "一、领导小组组成\n"
        "组长:汪国华 县长\n"
        "二、专班设置\n"
        "领导小组下设2个工作专班,分别承担相应工作。\n"
        "(一)产业发展专班\n"
        "组长:钟立群(副县长)\n"
        "牵头单位:县农业农村局\n"
        "(二)人才振兴专班\n"
        "组长:罗美华(县委常委、组织部部长)\n")
    assert _names(doc) == ["县乡村振兴工作领导小组", "产业发展专班", "人才振兴专班"]
    for name in ("产业发展专班", "人才振兴专班"):
        assert _group(doc, name).parent == "县乡村振兴工作领导小组"
    assert _group(doc, "产业发展专班").lead_unit == "县农业农村局"
    assert _group(doc, "人才振兴专班").leaders == ["罗美华"]


def test_title_that_adjusts_a_rosters_members() -> None:
    doc = _doc("关于调整县食品安全工作领导小组成员的通知\n各乡镇:\n因人事变动,现将调整后的名单通知如下:\n"
               "组长:严永刚 县长\n")
    g = _group(doc, "县食品安全工作领导小组")
    assert g.rule == "group.notice-title" and g.leaders == ["严永刚"]


def test_sub_groups_enumerated_in_prose_and_headed_with_a_count() -> None:
    doc = _doc(
        "一、设立界别工作领导小组\n"
        "组长:郑光明\n"
        "副组长:钱立新、梁志刚\n"
        "钱立新副主任联系农业界别小组,工会、共青团界别小组,文艺界别小组;\n"
        "梁志刚副主任联系妇联界别小组,体育、卫生界别小组,少数民族界别小组;\n"
        "二、成立6个界别小组\n"
        "1、农业界别小组(5人)\n"
        "组长(召集人):孔令辉\n"
        "成员:范晓燕、鲁国庆\n"
        "2、妇联界别小组(3人)\n"
        "组长(召集人):甘美玲\n")
    names = _names(doc)
    for want in ("界别工作领导小组", "农业界别小组", "工会、共青团界别小组", "文艺界别小组",
                 "妇联界别小组", "体育、卫生界别小组", "少数民族界别小组"):
        assert want in names
    assert len(names) == 7  # not 6个界别小组, not 钱立新副主任联系农业界别小组
    assert _group(doc, "农业界别小组").leaders == ["孔令辉"]
    assert _group(doc, "妇联界别小组").leaders == ["甘美玲"]
    assert _group(doc, "文艺界别小组").rule == "group.enumeration"


def test_news_report_roles_after_a_groups_name() -> None:
    doc = _doc(
        "9月3日,全市义务教育均衡发展复查汇报会在县宾馆召开。\n"
        "市政府督学马文涛、林小红,专家邵金生等检查评估组成员出席会议。\n"
        "会上,检查组组长马文涛宣读了复查方案。\n")
    assert _names(doc) == ["检查评估组"]
    g = doc.groups[0]
    assert g.rule == "group.role-apposed" and g.leaders == ["马文涛"]


def test_leading_group_named_through_its_office_and_a_deputy() -> None:
    doc = _doc(
        "动员会上,县农村学生资助工作领导组办公室主任、教育局局长孙向东作了报告。"
        "县政府副县长、县学生资助领导组副组长赵立平出席会议并讲话。赵立平指出,要抓好落实。\n"
        "县学生资助领导组成员单位负责人参加会议。\n")
    assert _names(doc) == ["县农村学生资助工作领导组"]
    g = doc.groups[0]
    assert g.rule == "group.office-acts" and g.deputies == ["赵立平"]


def test_office_that_leads_a_task_shows_its_group() -> None:
    doc = _doc("一、重点任务\n1.优化审批流程。全面推行告知承诺制。"
               "(市政府办公室、市营商环境优化工作领导小组办公室牵头,各县区政府负责)\n")
    assert "市营商环境优化工作领导小组" in _names(doc)


def test_group_in_a_responsibility_tag_and_its_abridged_name() -> None:
    doc = _doc(
        "一、重点工作\n"
        "1.推进全民阅读。成立市、县两级全民阅读推广专班,制定实施方案。(责任单位:全民阅读专班)\n"
        "2.建设书香校园。开展读书月活动。(责任单位:市教育局、校园阅读工作专班)\n")
    assert _names(doc) == ["全民阅读推广专班", "校园阅读工作专班"]
    assert _group(doc, "校园阅读工作专班").rule == "group.tag"


def test_the_fuller_name_with_its_level_replaces_the_bare_one() -> None:
    doc = _doc("日前,中共某县委调整充实了对口帮扶工作领导小组。\n"
               "县委对口帮扶工作领导小组由县委书记任组长。县委对口帮扶领导小组下设办公室。\n")
    assert _names(doc) == ["县委对口帮扶工作领导小组"]


def test_no_groups_in_general_in_citations_or_in_other_words() -> None:
    doc = _doc(
        "一、组织领导\n"
        "各乡镇也要相应成立创建工作领导小组,做到责任到人。\n"
        "办公室负责研究提出需领导小组决策的事项,督促落实领导小组议定事项。\n"
        "县委领导组织实施。根据《关于成立县防汛抗旱指挥部的通知》要求,局党组成员分片包干。\n"
        "1\n县水务局\n\n县防汛抗旱指挥部\n\n12月底前\n")
    assert _names(doc) == []


def test_news_of_a_group_meeting_names_its_leaders_by_their_roles() -> None:
    doc = _doc(
        "3月5日,县委教育工作领导小组召开全体会议。县委书记、县委教育工作领导小组组长胡建明主持会议并讲话。"
        "县委副书记、县长、领导小组副组长罗志勇出席。\n"
        "6月8日,市委常委、副市长、市创文工作指挥部指挥长陈德明带队督导。"
        "市创文工作指挥部副指挥长、市文明办主任吴小燕陪同。\n")
    lead = _group(doc, "县委教育工作领导小组")
    assert (lead.leaders, lead.deputies) == (["胡建明"], ["罗志勇"])
    hq = _group(doc, "市创文工作指挥部")
    assert (hq.leaders, hq.deputies, hq.rule) == (["陈德明"], ["吴小燕"], "group.role-apposed")


def test_committee_set_up_by_a_notice_takes_the_roster_that_follows() -> None:
    doc = _doc("关于成立县教育督导委员会的通知\n各乡镇:\n经研究,决定成立县教育督导委员会,组成人员如下:\n"
               "主任:冯建国 县长\n副主任:刘华 副县长\n委员:县教育局、县财政局\n")
    g = _group(doc, "县教育督导委员会")
    assert (g.leaders, g.deputies, g.members) == (["冯建国"], ["刘华"], ["县教育局", "县财政局"])


def test_working_groups_headed_under_the_one_leading_group() -> None:
    doc = _doc(
        "为加强组织领导,成立县义务教育优质均衡创建工作领导小组(以下简称“领导小组”),成员如下:\n"
        "组长:曾繁荣 县长\n"
        "成员:县教育局、县财政局\n"
        "二、工作组设置\n"
        "(一)综合协调组\n"
        "组长:汤立(兼)\n"
        "(二)项目建设组\n"
        "组长:熊伟\n"
        "成员单位:县住建局、县自然资源局\n")
    lead = "县义务教育优质均衡创建工作领导小组"
    assert _names(doc) == [lead, "综合协调组", "项目建设组"]  # 项目… is a name, not 项目工作组
    assert _group(doc, lead).leaders == ["曾繁荣"]
    build = _group(doc, "项目建设组")
    assert (build.parent, build.leaders, build.members) == (lead, ["熊伟"], ["县住建局", "县自然资源局"])


def test_members_written_as_a_clause_and_sub_groups_set_up_below() -> None:
    doc = _doc("成立创建工作领导小组,组长由县委副书记王建华担任,成员由县教育局、县财政局主要负责人组成。"
               "领导小组下设综合协调组、宣传报道组和督导考核组三个工作组。\n")
    g = _group(doc, "创建工作领导小组")
    assert g.members == ["县教育局", "县财政局"]
    assert [x.name for x in doc.groups if x.parent == g.name] == ["综合协调组", "宣传报道组", "督导考核组"]


def test_a_set_up_cited_from_another_document_is_no_group() -> None:
    doc = _doc("按照省教育厅关于成立教育数字化转型领导小组的部署,加快推进。"
               "各级各类学校要成立安全工作领导小组。\n")
    assert _names(doc) == []


def test_role_clause_on_a_line_the_page_broke_inside_the_sentence() -> None:
    doc = _doc("(一)加强组织领导。成立县职业教育改革发展领导小组,由县委副书记、县长韦国栋任组长,"
               "县委常委、常务副\n"
               "县长,县政府副县长石光明任副组长,县教育局、县人社局主要负责同志为成员。\n")
    g = _group(doc, "县职业教育改革发展领导小组")
    assert (g.leaders, g.deputies) == (["韦国栋"], ["石光明"])


def test_roster_tables_with_pipe_or_box_drawing_borders() -> None:
    for row in ("|{}|{}|{}|", "│{}│{}│{}│"):
        lines = [row.format("职务", "姓名", "单位及职务"), row.format("组长", "吕志远", "县委副书记、县长"),
                 row.format("副组长", "蒋明辉", "副县长")]
        doc = _doc("县创建卫生县城工作领导小组成员名单\n" + "\n".join(lines) + "\n")
        g = _group(doc, "县创建卫生县城工作领导小组")
        assert (g.leaders, g.deputies) == (["吕志远"], ["蒋明辉"]), row


def test_a_title_that_sets_up_two_groups() -> None:
    doc = _doc("关于成立县人口普查领导小组和县普查数据审核工作专班的通知\n各乡镇:\n现将有关事项通知如下。\n")
    assert _names(doc) == ["县人口普查领导小组", "县普查数据审核工作专班"]


def test_members_and_leaders_of_other_kinds_of_组_are_no_groups() -> None:
    doc = _doc("各校要组织学生兴趣小组成员参加展示。支部党小组组长陶文杰发言。县教科所课题组成员参与研究。"
               "局党组成员分片包干。\n")
    assert _names(doc) == []


def test_a_group_acting_inside_a_sentence() -> None:
    doc = _doc("近日,创建全国文明城市工作指挥部召开第三次推进会。会上,研究提出需领导小组决策的事项。\n")
    assert _names(doc) == ["创建全国文明城市工作指挥部"]


def test_a_groups_office_unveiled_in_a_unit() -> None:
    doc = _doc("3月8日,县义务教育均衡发展工作领导小组办公室在县教育局揭牌成立。副县长邱国平出席揭牌仪式。\n")
    g = _group(doc, "县义务教育均衡发展工作领导小组")
    assert (g.office_in, g.rule) == ("县教育局", "group.office-acts")


def test_roster_name_with_a_character_prose_names_lack() -> None:
    doc = _doc("关于成立县人口普查领导小组的通知\n组长:骆长青 县长\n"
               "成员:马正其 县统计局局长\n孙波 县财政局副局长\n")
    names = [p.name for p in doc.people]
    assert names == ["骆长青", "马正其", "孙波"]
