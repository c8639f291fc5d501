"""The forms real plans take beyond the seeds, one small text each: HTML task tables with
merged cells and two-row headers, indicator tables, unlabelled unit lists, 牵头/配合
clauses naming bodies the lexicon lacks, role clauses over several clauses, people named in
passing, years listed in parallel with values, numbered items that lost their dot."""

from __future__ import annotations

from kg.pipeline import process_text
from kg.read import DITTO, html_to_text

TASK_TABLE = """<html><body><div class="nav">首页 &gt; 政务公开</div><p>附件</p><table>
<tr><td rowspan=2>序号</td><td rowspan=2>重点任务</td><td colspan=2>责任单位</td>
<td rowspan=2>完成时限</td></tr>
<tr><td>牵头单位</td><td>配合单位</td></tr>
<tr><td colspan=5>一、扩大优质教育资源供给</td></tr>
<tr><td>1</td><td>新建城南小学,新增学位1000个</td><td rowspan=2>县教育局</td>
<td>县财政局、县自然资源和规划局</td><td rowspan=2>2025年底前</td></tr>
<tr><td>2</td><td>改扩建第二中学教学楼</td><td>县住建局</td></tr>
<tr><td colspan=5>二、提升教育质量</td></tr>
<tr><td>3</td><td>开展教师全员培训</td><td>县教育局</td><td>—</td><td>2024年12月底前</td></tr>
</table><div class="footer">版权所有</div></body></html>"""


def test_html_task_table_keeps_rows_merged_cells_and_a_two_row_header() -> None:
    text, starts, _ = html_to_text(TASK_TABLE)
    assert "2 | 改扩建第二中学教学楼 | 〃 | 县住建局 | 〃" in text
    assert "一、扩大优质教育资源供给\n" in text  # a row across the table is a line of its own
    assert all(starts[i] <= starts[i + 1] for i in range(len(starts) - 1))  # offsets run forward
    doc = process_text(TASK_TABLE, is_html=True)
    assert [(m.key, m.title, m.deadline_year) for m in doc.measures] == [
        ("1", "新建城南小学,新增学位1000个", 2025), ("2", "改扩建第二中学教学楼", 2025),
        ("3", "开展教师全员培训", 2024)]
    roles = [{u.mention: u.role for u in m.units} for m in doc.measures]
    assert roles[0] == {"县教育局": "lead", "县财政局": "support", "县自然资源和规划局": "support"}
    assert roles[1] == {"县教育局": "lead", "县住建局": "support"}  # the merged lead cell
    # a merged cell's units quote the row where the page wrote them
    assert doc.measures[1].units[0].span.text == "县教育局"
    assert doc.measures[1].units[0].span.start == doc.measures[0].units[0].span.start
    assert doc.measures[0].school_construction and doc.measures[1].school_construction
    assert DITTO not in {u.mention for m in doc.measures for u in m.units}


def test_indicator_table_targets_are_the_latest_year_column() -> None:
    doc = process_text("二、发展目标\n主要指标见下表。\n指标 | 2020年 | 2025年 | 属性\n"
                       "学前三年毛入园率(%) | 98.6 | ≥98.5 | 预期性\n"
                       "普通高中省一级学校数(所) | 1 | 2 | 预期性\n"
                       "中小学生总体近视率(%) | 53.1 | ≤48 | 约束性\n"
                       "三、主要任务\n")
    rows = {(i.subject, i.op, i.value, i.unit, i.year) for i in doc.indicators}
    assert rows == {("学前三年毛入园率", ">=", 98.5, "%", 2025), ("普通高中省一级学校数", "=", 2, "所", 2025),
                    ("中小学生总体近视率", "<=", 48, "%", 2025)}  # the 2020 baselines are no targets


def test_unlabelled_unit_list_closing_an_item() -> None:
    doc = process_text("三、主要任务\n"
                       "1.制定课程纲要。组建课程团队,形成课程体系。(装备信息中心、教科院、各区市)\n"
                       "2.明确课程定位。每月至少两课时(初、高中毕业年级除外)。\n")
    assert [u.mention for u in doc.measures[0].units] == ["装备信息中心", "教科院"]
    assert doc.measures[1].units == []  # (初、高中毕业年级除外) names nobody


def test_lead_and_support_clause_with_bodies_the_lexicon_lacks() -> None:
    doc = process_text("三、主要任务\n1.推动职业学校提质培优。创建省级高水平中职学校1所。"
                       "(由县教育局牵头,县人社局、县科工商务局配合)\n")
    assert {u.mention: u.role for u in doc.measures[0].units} == {
        "县教育局": "lead", "县人社局": "support", "县科工商务局": "support"}


def test_deputies_over_several_clauses_and_people_named_in_passing() -> None:
    doc = process_text("认真贯彻市委副书记、市长陆振华同志的讲话精神。\n四、组织领导\n"
                       "成立县教育工作领导小组,由县委副书记、县长王建华任组长,县委常委、常务副县长刘志明,"
                       "县人民政府副县长陈静任副组长。领导小组办公室设在县教育局教育督导科。\n")
    (group,) = doc.groups
    assert (group.leaders, group.deputies) == (["王建华"], ["刘志明", "陈静"])
    assert group.office_in == "县教育局教育督导科"
    posts = {p.name: [h.post for h in p.posts] for p in doc.people}
    assert posts["陆振华"] == ["市委副书记", "市长"]


def test_years_listed_in_parallel_with_values() -> None:
    doc = process_text("一、发展目标\n产业营收年均增长10%以上,2024年、2025年分别突破2.2万亿元、2.4万亿元。\n")
    rows = sorted((i.value, i.unit, i.op, i.year) for i in doc.indicators)
    assert rows == [(2.2, "万亿元", ">=", 2024), (2.4, "万亿元", ">=", 2025), (10, "%", ">=", None)]


def test_numbered_items_whose_dot_was_lost() -> None:
    doc = process_text("二、主要任务\n(一)实施攻关行动\n"
                       "1\ue010突破关键核心技术。加强基础研究。(责任单位:市科技局)\n"
                       "2\ue010强化底层硬件攻关。发展量子计算。(责任单位:市工业和信息化局)\n"
                       "(二)实施整合行动\n3\ue010强化算力资源保障。建设计算中心。(责任单位:市大数据局)\n")
    assert [(m.key, m.title) for m in doc.measures] == [
        ("1", "突破关键核心技术"), ("2", "强化底层硬件攻关"), ("3", "强化算力资源保障")]


def test_a_task_that_holds_a_task_word_is_no_task_heading() -> None:
    doc = process_text("一、总体要求\n坚持改革。\n二、全面提升人才培养质量\n"
                       "(一)加快重点领域急需紧缺人才培养。加强学科建设。(省教育厅负责)\n"
                       "(二)深化职业教育育人机制改革。推进产教融合。(省教育厅、省人力资源社会保障厅负责)\n"
                       "三、激发办学活力\n(一)扩大学校办学自主权。落实自主权。(省教育厅负责)\n")
    assert [m.title for m in doc.measures] == ["加快重点领域急需紧缺人才培养", "深化职业教育育人机制改革",
                                                "扩大学校办学自主权"]
    assert [u.mention for u in doc.measures[1].units] == ["省教育厅", "省人力资源社会保障厅"]


def test_task_table_copied_from_word_with_tabs() -> None:
    source = ("三、任务分工\n序号\t重点任务\t牵头单位\t配合单位\t完成时限\n"
              "1\t新建城南小学,新增学位1000个\t县教育局\t县财政局、县住建局\t2025年底前\n"
              "2\t开展教师培训\t县教育局\t\t2024年底前\n\t\t四、保障措施\n")
    doc = process_text(source)
    assert [(m.key, m.title, m.deadline_year) for m in doc.measures] == [
        ("1", "新建城南小学,新增学位1000个", 2025), ("2", "开展教师培训", 2024)]
    assert {u.mention: u.role for u in doc.measures[0].units} == {
        "县教育局": "lead", "县财政局": "support", "县住建局": "support"}
    assert doc.measures[0].units[1].span.text == "县财政局"  # offsets stay exact
    assert "\t\t四、保障措施" in source and "四、保障措施" in doc.text  # indenting tabs are no cells
