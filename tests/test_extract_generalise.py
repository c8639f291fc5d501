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


def _units(doc, key: str) -> list[tuple[str, str]]:
    m = next(m for m in doc.measures if m.key == key)
    return [(u.mention, u.role) for u in m.units]


def test_a_table_one_cell_per_line_names_lead_and_support_columns() -> None:
    text = "\n".join([
        "序号", "工作任务", "主要责任单位", "协同配合单位", "完成时限",
        "1", "建成城东污水处理厂二期。", "县城管局", "县发改委、县财政局", "2032年底",
        "2", "新建县第三幼儿园。", "县教体局", "县住建局", "2032年9月",
    ])
    doc = process_text(text)
    assert _units(doc, "1") == [("县城管局", "lead"), ("县发改委", "support"), ("县财政局", "support")]
    assert _units(doc, "2") == [("县教体局", "lead"), ("县住建局", "support")]


def test_labelled_fields_after_an_item_say_who_leads_and_who_helps() -> None:
    text = "\n".join([
        "1.推进城乡环卫一体化,完善垃圾收运体系。",
        "牵头责任单位:县城管委、县住建局",
        "主要协作单位:各乡镇人民政府,县政府有关部门",
        "2.实施老旧小区改造40个。",
        "牵头责任单位:县住建局",
    ])
    doc = process_text(text)
    assert _units(doc, "1") == [("县城管委", "lead"), ("县住建局", "lead")]
    assert _units(doc, "2") == [("县住建局", "lead")]
    assert {u.rule for m in doc.measures for u in m.units} == {"unit.field"}


def test_a_tag_of_clauses_gives_each_list_its_role() -> None:
    text = "\n".join([
        "一、深化审批制度改革",
        "1.全面推行告知承诺制。2031年底前公布事项清单。(县政务服务局、县司法局牵头,县级各有关部门按职责分工负责)",
        "2.压减审批环节。(县政务服务局,县发改局,各乡镇人民政府,排名第一位的为牵头单位,下同)",
        "3.优化窗口服务。〔各乡镇人民政府〕",
    ])
    doc = process_text(text)
    assert _units(doc, "1") == [("县政务服务局", "lead"), ("县司法局", "lead")]
    assert _units(doc, "2") == [("县政务服务局", "lead"), ("县发改局", "responsible")]
    assert _units(doc, "3") == []  # everyone of a kind is nobody in particular


def test_partners_listed_by_their_trade_after_a_with_word_are_units() -> None:
    doc = process_text("(一)建立联席会议制度。区教体局会同编办、财政、人社、住建等单位研究解决问题。")
    assert [u.mention for u in doc.measures[0].units] == ["区教体局", "编办", "财政", "人社", "住建"]


def test_a_numbered_list_run_into_one_paragraph_gives_a_measure_per_item() -> None:
    text = ("某县长在报告中说,今年将办好8件民生实事,分别是: (1)新建城南小学。 (2)改造农贸市场3个。 "
            "(3)开通城乡公交5条。")
    doc = process_text(text)
    assert [m.title for m in doc.measures] == ["新建城南小学", "改造农贸市场3个", "开通城乡公交5条"]


def test_a_yishi_list_of_work_is_measures_but_a_review_of_past_work_is_not() -> None:
    text = ("报告回顾了过去一年:一是产业加快升级;二是城乡面貌改善。\n"
            "报告提出今年要抓好四项工作:一是着力扩大有效投资;二是着力培育新兴产业;三是着力改善民生。")
    doc = process_text(text)
    assert [m.title for m in doc.measures] == ["着力扩大有效投资", "着力培育新兴产业", "着力改善民生"]


def test_a_site_with_numbered_problems_and_one_responsibility_field_is_one_measure() -> None:
    text = "\n".join([
        "督查发现的问题如下:", "1. 城北菜市场", "(1)地面有积水;", "(2)消防通道堵塞。",
        "问题整改责任单位:区市场监管局 整改时限:7天",
        "2. 人民公园", "(1)垃圾桶破损;", "(2)公厕无人保洁。",
        "问题整改责任单位:区园林局 整改时限:3天",
    ])
    doc = process_text(text)
    assert [(m.title, [u.mention for u in m.units]) for m in doc.measures] == [
        ("城北菜市场", ["区市场监管局"]), ("人民公园", ["区园林局"])]


def test_lines_wrapped_at_a_page_width_are_rejoined() -> None:
    wrapped = ["一、重点工作",
               "1.推进县域医共体建设。围绕分级诊疗目标,成",
               "立县级医共体建设工作专班,制定实施方案,明",
               "确年度目标和重点任务,实行清单化管理,确保",
               "年底前全面完成。(责任单位:县医共体建设专班)",
               "2.加强基层医疗队伍建设。组织乡村医生轮训",
               "不少于300人次,推动优质资源下沉到乡镇卫生",
               "院和村卫生室,提升基层首诊能力和服务水平。"]
    doc = process_text("\n".join(wrapped))
    assert "成立县级医共体建设工作专班" in doc.text
    assert [u.mention for u in doc.measures[0].units] == ["县医共体建设专班"]


def test_a_table_printed_one_cell_per_line_between_pipes_with_group_rows() -> None:
    text = "\n".join([
        "| 序号 |", "| 重点任务 |", "| 牵头单位 |", "| 配合单位 |",
        "一、优化营商环境",
        "| 1 |", "| 推行企业开办一日办结。 |", "| 市市场监管局 |", "| 市政务服务局 |",
        "二、扩大有效投资",
        "| 2 |", "| 新开工重点项目30个。 |", "| 市发改委 |", "| 市住建局、市自然资源局 |",
    ])
    doc = process_text(text)
    assert [(m.key, m.title) for m in doc.measures] == [
        ("1", "推行企业开办一日办结"), ("2", "新开工重点项目30个")]
    assert _units(doc, "2") == [("市发改委", "lead"), ("市住建局", "support"), ("市自然资源局", "support")]


def test_a_table_laid_out_with_runs_of_spaces_whose_cells_wrapped() -> None:
    text = "\n".join([
        "序号   类别   主要任务   细化措施   牵头单位   参与单位",
        "1   加强耕地保   护   严守耕地红线   落实耕地保护责任制,到2030年耕地保有量不低于80万亩。"
        "   县自然资源局   县农业农村局",
        "2   守住粮食   安全   底线   稳定粮食播种面积,到2030年粮食产量达到30万吨。"
        "   县农业农村局   县发改局",
    ])
    doc = process_text(text)
    assert [m.title for m in doc.measures] == ["严守耕地红线", "守住粮食安全底线"]
    assert _units(doc, "1") == [("县自然资源局", "lead"), ("县农业农村局", "support")]


def test_unnumbered_projects_each_followed_by_fields_that_assign_them() -> None:
    text = "\n".join([
        "2031年全区重点民生项目", "区人民医院门诊楼改造项目", "牵头单位:区卫健委。",
        "配合单位:区财政局、区发改委。",
        "城西片区雨污分流工程", "牵头单位:区住建局。", "完成时限:2031年10月",
    ])
    doc = process_text(text)
    assert [(m.title, m.rule) for m in doc.measures] == [
        ("区人民医院门诊楼改造项目", "measure.assigned-line"),
        ("城西片区雨污分流工程", "measure.assigned-line")]
    assert _units(doc, "1") == [("区卫健委", "lead"), ("区财政局", "support"), ("区发改委", "support")]
    assert doc.measures[1].deadline_year == 2031


def test_a_labelled_field_record_names_its_task_after_the_label() -> None:
    text = "\n".join([
        "项目名称:镇中心小学综合楼新建工程", "建设内容:新建教学综合楼一栋,建筑面积6000平方米。",
        "责任单位:镇教育办", "完成时限:2032年8月",
        "项目名称:镇卫生院改扩建工程", "建设内容:改扩建门诊楼。", "责任单位:镇卫健办",
    ])
    doc = process_text(text)
    assert [m.title for m in doc.measures] == ["镇中心小学综合楼新建工程", "镇卫生院改扩建工程"]
    assert doc.measures[0].school_construction and doc.measures[0].rule == "measure.field-record"
    assert _units(doc, "2") == [("镇卫健办", "responsible")]


def test_an_application_form_assigns_no_task() -> None:
    doc = process_text("\n".join(["智能制造试点项目推荐表", "申报单位:某某科技有限公司", "推荐单位:(盖章)"]))
    assert doc.measures == []


def test_a_goal_table_one_cell_per_line_with_a_leader_column() -> None:
    text = "\n".join([
        "序号", "工作目标", "分管领导", "牵头责任单位", "协同单位",
        "1", "全年新增城镇就业2000人。", "王某某", "县人社局", "县财政局",
        "2", "完成农村公路改造50公里。", "李某某", "县交通运输局", "各乡镇",
    ])
    doc = process_text(text)
    assert [m.title for m in doc.measures] == ["全年新增城镇就业2000人", "完成农村公路改造50公里"]
    assert _units(doc, "1") == [("县人社局", "lead"), ("县财政局", "support")]
    assert _units(doc, "2") == [("县交通运输局", "lead")]


def test_a_marker_alone_on_its_line_heads_the_line_after_it() -> None:
    text = "\n".join(["一、", "加强基础教育", "(一)", "新建城东小学,新增学位1800个。", "(二)",
                      "改造农村薄弱学校12所。"])
    doc = process_text(text)
    assert [m.title for m in doc.measures] == ["新建城东小学,新增学位1800个", "改造农村薄弱学校12所"]


def test_work_points_with_office_tags_in_brackets() -> None:
    text = "\n".join([
        "县教育局2032年工作要点",
        "一、加强党的建设",
        "1.落实全面从严治党主体责任,开展廉政教育月活动。【责任科室:机关党委、人事股】",
        "2.推进清廉学校建设,年内建成示范校5所。(责任科室:纪检室;配合科室:各股室)",
    ])
    doc = process_text(text)
    assert _units(doc, "1") == [("机关党委", "responsible"), ("人事股", "responsible")]
    assert _units(doc, "2") == [("纪检室", "responsible")]
