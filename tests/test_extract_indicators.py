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


# ---------------------------------------------------------------- forms beyond the seeds
# Every example below is made up: other places, numbers and wording than the documents
# that showed the need.


def _targets(text: str) -> list[tuple[float, str, str, int | None]]:
    from kg.pipeline import process_text

    doc = process_text(text)
    return [(i.value, i.unit, i.op, i.year) for i in doc.indicators]


def test_a_one_year_plan_gives_its_year_to_undated_targets() -> None:
    text = ("青川县2023年为民办实事项目清单\n1.新建乡镇卫生院2所。\n2.城区新增停车位300个以上。\n"
            "3.到2025年,建成社区食堂12个。\n")
    assert _targets(text) == [(2, "所", "=", 2023), (300, "个", ">=", 2023), (12, "个", "=", 2025)]


def test_title_years_of_ranges_five_year_plans_and_findings_are_no_plan_year() -> None:
    lex = indicators.lexicon()
    assert indicators.title_year("2021年重点民生项目任务分解表.docx", lex) == 2021
    assert indicators.title_year("某县2024年度教育工作要点", lex) == 2024
    assert indicators.title_year("某市2021—2025年学前教育行动计划", lex) is None
    assert indicators.title_year("某区“十四五”教育规划和2035年远景目标", lex) is None
    assert indicators.title_year("2022年度巡察反馈问题整改方案", lex) is None
    assert indicators.title_year("关于落实《2019年政府工作报告》的通知", lex) is None


def test_a_work_report_separates_last_years_results_from_this_years_targets() -> None:
    text = ("县长张明向大会作《政府工作报告》。\n"
            "报告指出,2022年全县经济运行稳中向好。地区生产总值达到210.5亿元、增长6.1%;城镇居民人均可支配收入"
            "41200元。\n"
            "报告提出2023年主要预期目标:地区生产总值增长7%左右,城镇调查失业率控制在5.5%以内。\n")
    assert _targets(text) == [(7, "%", "~", 2023), (5.5, "%", "<=", 2023)]


def test_a_year_that_heads_a_commitment_dates_the_sentence() -> None:
    lex = indicators.lexicon()
    assert indicators.sentence_year("报告提出2030年发展目标:森林覆盖率达到45%", lex) == 2030
    assert indicators.sentence_year("2026年将新建公园3个", lex) == 2026
    assert indicators.sentence_year("比2019年提高5个百分点", lex) is None


def test_programme_names_and_list_counts_are_not_targets() -> None:
    text = ("某市2022年6项惠民工程和12件民生实事实施方案\n"
            "一、实施6项惠民工程\n"
            "今年市政府将集中办好12件民生实事。具体是:\n"
            "(1)新建口袋公园8个。\n")
    assert _targets(text) == [(8, "个", "=", 2022)]


def test_sizes_thresholds_head_counts_and_attendance_are_not_targets() -> None:
    text = ("一、工作目标\n"
            "1.加快建设总投资3.2亿元的市妇幼保健院新院区。\n"
            "2.为500人以上的中小学校配备专职校医,为300人以上寄宿制学校配备生活指导教师。\n"
            "3.成立8个专项工作组,其中综合协调组(5人)。\n"
            "4.县直各单位负责人等150余人参加会议。\n"
            "5.到2024年,全县中小学专职校医配备率不低于80%。\n")
    assert _targets(text) == [(80, "%", ">=", 2024)]


def test_money_rules_stay_out_but_counts_next_to_subsidy_words_stay_in() -> None:
    text = ("一、主要任务\n"
            "1.对新认定的专精特新企业,每家给予最高50万元奖励;每引进1家给予20万元补助。\n"
            "2.开展职业技能补贴性培训8000人次,每个乡镇建设3个以上就业服务站。\n")
    assert _targets(text) == [(8000, "人次", "=", None), (3, "个", ">=", None)]


def test_durations_count_only_with_a_comparator() -> None:
    text = ("一、工作要求\n1.确保学生每天至少体育锻炼一小时。\n2.开通24小时服务热线。\n"
            "3.新建健身步道15公里。\n")
    assert _targets(text) == [(1, "小时", ">=", None), (15, "公里", "=", None)]


def test_a_progress_column_reports_and_an_ongoing_row_has_no_year() -> None:
    text = ("某县2025年教育重点任务分解表\n"
            "序号 | 工作任务 | 责任单位 | 完成时限 | 推进情况\n"
            "1 | 新增公办学位1200个 | 县教育局 | 2025年12月 | 已新增学位800个,完成率66.7%\n"
            "2 | 课后服务覆盖率保持100% | 县教育局 | 长期坚持 | 覆盖率98%\n")
    assert _targets(text) == [(1200, "个", "=", 2025), (100, "%", "=", None)]


def test_values_split_by_a_comma_keep_their_own_comparators() -> None:
    text = "一、目标\n到2026年,中学专职教师配备不少于60%,400人以上寄宿制学校至少配备1名专职教师。\n"
    assert _targets(text)[0] == (60, "%", ">=", 2026)


def test_rule_ids_name_the_block_form() -> None:
    from kg.pipeline import process_text

    doc = process_text("一、任务\n目标任务:新建幼儿园4所。\n到2025年,学前三年毛入园率达到92%以上。\n"
                       "序号 | 任务 | 单位\n1 | 新建小学2所 | 县教育局\n")
    assert [(i.value, i.rule) for i in doc.indicators] == [
        (4, "indicator.labelled-field"), (92, "indicator.prose"), (2, "indicator.table-cell")]
    assert all(i.rule for d in ("000", "003") for i in seed_doc(d).indicators)


def test_an_unmarked_look_back_heading_and_a_passed_plan_period_are_no_targets() -> None:
    text = ("2027年某省政府工作报告\n"
            "“十五五”时期发展成就和2026年工作回顾\n"
            "这五年经济总量达到3.1万亿元,新增城镇就业累计120万人。\n"
            "2027年主要目标和重点工作\n"
            "今年经济社会发展的主要预期目标是:地区生产总值增长5.5%左右。\n"
            "新建改建农村公路2000公里。\n")
    assert _targets(text) == [(5.5, "%", "~", 2027), (2000, "公里", "=", 2027)]
    report = ("2027年某市政府工作报告\n工作安排\n“十四五”时期,全市生态建设取得重大成就。"
              "森林覆盖率提高到40%。\n新增公园15座。\n")
    assert _targets(report) == [(15, "座", "=", 2027)]


def test_a_zero_glued_to_a_counting_word_is_no_number() -> None:
    assert _targets("一、任务\n1.到2027年,突破高端轴承零件制造技术。\n") == []


def test_table_rows_in_any_flattening_date_their_cells() -> None:
    text = ("一、主要指标\n"
            "序号\t指标名称\t2026年目标\t责任单位\n1\t学前三年毛入园率\t93%以上\t县教育局\n"
            "│2│新建幼儿园│4所│县教育局│\n\n"
            "序号 | 工作任务 | 责任单位 | 完成时限\n1 | 新增公办学位1500个 | 县教育局 | 2027年8月底前\n")
    assert _targets(text) == [(93, "%", ">=", 2026), (4, "所", "=", 2026), (1500, "个", "=", 2027)]


def test_standards_scales_and_counts_after_the_object() -> None:
    text = ("一、主要目标\n到2028年,全市软件业务收入达到千亿级,数字经济核心产业规模达到3000亿级。\n"
            "1.农村教师交通补助标准每人每月不低于300元,对新建园每所给予20万元奖励。\n"
            "2.打造市级劳动教育特色品牌三个。\n"
            "3.依托市级人才计划每年引进青年博士50名以上。\n")
    # the items take the year their section's opening sentence gives
    assert _targets(text) == [(1, "千亿元", ">=", 2028), (3000, "亿元", ">=", 2028), (300, "元", ">=", 2028),
                              (3, "个", "=", 2028), (50, "名", ">=", 2028)]


def test_a_task_heading_that_ends_in_a_background_word_is_no_look_back() -> None:
    lex = indicators.lexicon()
    assert not indicators.is_background_title("着力优化营商发展环境", lex)
    assert indicators.is_background_title("发展基础与面临形势", lex)
    text = "一、着力优化营商发展环境\n1.新增市场主体1.2万户。\n"
    assert _targets(text) == [(1.2, "万户", "=", None)]


def test_a_chinese_count_after_its_object() -> None:
    assert _targets("一、任务\n1.城区新建幼儿园四所,新增学位1200个。\n") == [
        (4, "所", "=", None), (1200, "个", "=", None)]
    assert _targets("一、任务\n1.支持三所职业院校开展试点。\n") == []


def test_a_work_report_without_a_year_in_its_title() -> None:
    text = ("政府工作报告\n——2028年1月20日在某省第九届人民代表大会第三次会议上\n"
            "一、2027年工作回顾\n全省生产总值增长5.8%。\n"
            "二、“十五五”时期发展成就和“十六五”时期主要目标任务\n"
            "这五年,我们攻坚克难,成效显著。累计新增城镇就业260万人,人均预期寿命提高到79.5岁。\n"
            "今后五年,地区生产总值年均增长5%左右。\n"
            "三、2028年重点工作\n(一)扩大有效投资\n新开工重大项目500个以上。\n")
    # (the five-year target's year is not read from 今后五年: only its value and op are asserted)
    assert [t[:3] for t in _targets(text)] == [(5, "%", "~"), (500, "个", ">=")]
    assert _targets(text)[1][3] == 2028


def test_figure_references_grants_and_caps_per_recipient_are_not_targets() -> None:
    text = ("一、主要任务\n1.标准体系结构如图3所示,评价指标见表2。\n"
            "2.拟资助重点项目8项,每家企业补助不超过30万元。\n3.奖励性绩效工资占比不低于60%。\n")
    assert _targets(text) == [(60, "%", ">=", None)]


def test_labelled_fields_of_project_size_and_page_furniture_are_no_targets() -> None:
    text = ("发布日期:2025-03-02 浏览次数:2318次\n一、项目清单\n项目名称:城北学校\n计划投资:1.6亿元\n"
            "建设内容:新建教学楼2栋,建筑面积1.8万平方米\n目标任务:新增学位2160个\n")
    assert _targets(text) == [(2, "栋", "=", None), (1.8, "万平方米", "=", None), (2160, "个", "=", None)]


def test_a_table_pasted_one_cell_per_line_takes_its_rows_deadline() -> None:
    text = ("附件\n重点任务分解表\n序号\n重点任务\n责任单位\n完成时限\n"
            "1\n\n新建公办幼儿园6所。\n\n县教育局\n\n2026年9月底前\n"
            "2\n\n新增停车泊位800个。\n\n县住建局\n\n长期坚持\n")
    assert _targets(text) == [(6, "所", "=", 2026), (800, "个", "=", None)]


def test_a_kept_level_is_exact_and_a_touching_shixian_is_a_floor() -> None:
    text = "一、目标\n1.义务教育巩固率保持在100%,实现100%全覆盖,实现地区生产总值增长6%。\n"
    assert [t[:3] for t in _targets(text)] == [(100, "%", "="), (100, "%", ">="), (6, "%", "=")]


def test_counts_of_the_plans_own_items_and_meeting_rules_are_no_targets() -> None:
    from kg.pipeline import process_text
    text = ("全市共细分出120项目标任务,今年继续实施15项民生工程。\n"
            "联席会议原则上每年召开1次至2次全体会议。围绕6个标志性事项推进。\n"
            "新建幼儿园4所。\n")
    doc = process_text(text, name="made-up.txt")
    assert [(i.value, i.unit) for i in doc.indicators] == [(4, "所")]


def test_a_news_item_reporting_last_years_results_before_this_years_targets() -> None:
    from kg.pipeline import process_text
    text = ("某市今年将新增学位3万个\n发布时间:2024-03-08\n"
            "2023年,我市新建、改扩建中小学校60所,新增学位2.5万个。项目均完成年度目标。\n"
            "2024年我市计划新建、改扩建中小学、幼儿园80所,建成后将增加学位3万个。\n")
    doc = process_text(text, name="made-up.txt")
    assert sorted((i.value, i.unit) for i in doc.indicators) == [(3, "万个"), (80, "所")]
