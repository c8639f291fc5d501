"""Rosters and role clauses read by their shape (made-up examples)."""

from __future__ import annotations

from kg.pipeline import process_text


def _posts(doc) -> dict[str, list[str]]:
    return {p.name: [q.post for q in p.posts] for p in doc.people}


ROSTER = """某县人民政府办公室关于成立某县校舍安全工作领导小组的通知
各乡镇人民政府:
县政府决定成立某县校舍安全工作领导小组,组成人员如下:
组  长:周某某 县长
副组长:陈某某副县长
王 某副县长
成  员:李 强县委常委、常务副县长
禚航 县教育局副局长
李学会 县农委主任
孙某 县国土资源局首席规划专员
赵某 县财政局局长
"""


def test_a_roster_goes_on_through_names_and_posts_of_every_shape() -> None:
    doc = process_text(ROSTER, name="made-up.txt")
    posts = _posts(doc)
    assert posts["陈某某"] == ["副县长"]  # a name glued to a bare title
    assert posts["王某"] == ["副县长"]  # a two-character name padded to the width of three
    assert posts["李强"] == ["县委常委", "常务副县长"]
    assert posts["禚航"] == ["县教育局副局长"]  # a surname the list lacks, by the line's shape
    assert posts["李学会"] == ["县农委主任"]  # a name that ends like an organization
    assert posts["孙某"] == ["县国土资源局首席规划专员"]  # a title the list lacks, after a level
    assert posts["赵某"] == ["县财政局局长"]  # the roster did not stop above
    (group,) = doc.groups
    assert group.leaders == ["周某某"] and group.deputies == ["陈某某", "王某"]


JOINT = """各县区人民政府:
经市政府同意,建立某市校园安全联席会议(以下简称联席会议)制度。现将有关事项通知如下:
一、组成人员
总召集人:吴某某 副市长
召 集 人:郑某 市政府副秘书长
钱某某 市教育局局长
二、工作机构
联席会议办公室设在市教育局,承担日常工作。市教育局为牵头单位。
"""


def test_a_joint_conference_set_up_in_the_text_with_its_chief_conveners_office_and_lead() -> None:
    doc = process_text(JOINT, name="made-up.txt")
    (group,) = doc.groups
    assert group.name == "某市校园安全联席会议"
    assert group.leaders == ["吴某某"]
    assert group.deputies == ["郑某", "钱某某"]  # 召集人 under a 总召集人
    assert group.office_in == "市教育局" and group.lead_unit == "市教育局"


def test_a_conference_whose_chief_is_named_in_a_clause_and_members_listed_after_it() -> None:
    text = ("经省政府同意,建立某省防灾减灾联席会议制度。\n"
            "联席会议由省应急厅、省财政厅、省水利厅等3个部门组成。"
            "联席会议由省政府副秘书长冯某同志担任总召集人。\n")
    (group,) = process_text(text, name="made-up.txt").groups
    assert group.leaders == ["冯某"]
    assert group.members == ["省应急厅", "省财政厅", "省水利厅"]


def test_a_transliterated_name_in_a_list_of_names_sharing_a_post() -> None:
    doc = process_text("盟政协副主席巴特尔其其格、李某某、王某出席会议。", name="made-up.txt")
    assert _posts(doc) == {"巴特尔其其格": ["盟政协副主席"], "李某某": ["盟政协副主席"],
                           "王某": ["盟政协副主席"]}


def test_an_office_that_acts_shows_its_group() -> None:
    doc = process_text("会议要求,市校园足球改革领导小组办公室也将按照部署推进工作。", name="made-up.txt")
    assert [g.name for g in doc.groups] == ["市校园足球改革领导小组"]


# -- measures by shape (made-up examples)

GOALS_ASSIGNED = """某市2024年政府工作报告目标任务分解方案
一、主要预期目标
(一)地区生产总值增长6%左右。(牵头单位:市发改委)
(二)一般公共预算收入增长5%。(牵头单位:市财政局;责任单位:市税务局)
(三)城镇新增就业2万人。(牵头单位:市人社局)
二、重点工作任务
(一)新建中小学3所。(牵头单位:市教育局)
三、保障措施
(一)加强组织领导。(责任单位:市政府办)
(二)强化督查考核。(责任单位:市督查室)
"""


def test_goals_whose_items_name_who_answers_are_tasks_and_safeguards_are_not() -> None:
    doc = process_text(GOALS_ASSIGNED, name="made-up.txt")
    assert [m.title for m in doc.measures] == [
        "地区生产总值增长6%左右", "一般公共预算收入增长5%", "城镇新增就业2万人", "新建中小学3所"]
    assert [u.mention for u in doc.measures[1].units] == ["市财政局", "市税务局"]


def test_items_numbered_past_ninety_nine_are_items() -> None:
    text = ("——推进教育发展\n"
            "131.推进学前教育普惠发展,新建幼儿园6所。(牵头单位:区教育局;责任单位:区财政局)\n"
            "132.加强教师队伍建设。(责任单位:区教育局)\n")
    doc = process_text(text, name="made-up.txt")
    assert [(m.key, m.title) for m in doc.measures] == [("131", "推进学前教育普惠发展,新建幼儿园6所"),
                                                        ("132", "加强教师队伍建设")]
    assert [u.mention for u in doc.measures[0].units] == ["区教育局", "区财政局"]


def test_a_lead_and_support_field_under_each_item_is_no_page_footer() -> None:
    text = ("2024年为民办实事项目\n一、人居环境\n(1)改造老旧小区。改造东区老旧小区3个。\n"
            "主办单位:县城投公司,协办单位:住建局、龙城镇。\n(2)建设口袋公园。\n"
            "主办单位:住建局,协办单位:江口镇。\n")
    doc = process_text(text, name="made-up.txt")
    assert [[(u.mention, u.role) for u in m.units] for m in doc.measures] == [
        [("县城投公司", "lead"), ("住建局", "support"), ("龙城镇", "support")],
        [("住建局", "lead"), ("江口镇", "support")]]


def test_a_page_number_glued_into_a_sentence_is_dropped() -> None:
    from kg.normalize import normalize
    assert normalize("对生态文明\n-1-建设的认识。\n- 2 -\n第二段").text == "对生态文明建设的认识。\n第二段"


def test_a_unit_field_before_a_list_assigns_every_item_of_it() -> None:
    text = ("一、认识不到位\n(一)部分干部重视不够。整改目标:树立正确政绩观。责任单位:县委办、县政府办。"
            "整改时限:长期坚持整改措施:\n1.深入学习生态文明思想。\n2.推动生态文明纳入中心组学习内容。\n"
            "(二)监管不力。责任单位:县生态环境局\n")
    doc = process_text(text, name="made-up.txt")
    units = {m.title: [u.mention for u in m.units] for m in doc.measures}
    assert units["深入学习生态文明思想"] == ["县委办", "县政府办"]
    assert units["推动生态文明纳入中心组学习内容"] == ["县委办", "县政府办"]


CELL_PER_LINE = """2024年民生实事进展情况
序号 |
项目名称 |
具体任务 |
牵头 领导 |
牵头单位 |
责任单位 |
1 |
学校扩容工程 |
①完成城东幼儿园建设,提供学位360个。 ②启动城西小学改扩建工程。 |
王 某 |
区教体局 |
区财政局 |
2 |
道路提升工程 |
①改造背街小巷5条。 ②新增停车位200个。 |
李 某 |
区住建局 |
区城管局 |
"""


def test_points_inside_a_cell_of_a_one_cell_per_line_table_stay_in_their_row() -> None:
    doc = process_text(CELL_PER_LINE, name="made-up.txt")
    assert [(m.key, m.title) for m in doc.measures] == [("1", "学校扩容工程"), ("2", "道路提升工程")]
    assert [(u.mention, u.role) for u in doc.measures[0].units] == [("区教体局", "lead"),
                                                                    ("区财政局", "responsible")]
    assert doc.measures[0].school_construction


def test_a_run_in_list_of_headed_programmes_without_numbers() -> None:
    text = ("某省今年继续实施10项民生工程。\n"
            "安居改造工程。新开工5万套,改善居住条件。 背街小巷整治工程。整治背街小巷300条。"
            " 城乡供水提升工程。新建供水站12座。\n")
    doc = process_text(text, name="made-up.txt")
    assert [m.title for m in doc.measures] == ["安居改造工程", "背街小巷整治工程", "城乡供水提升工程"]


def test_the_parts_of_an_item_written_一是_二是_stay_one_item() -> None:
    text = ("一、整改措施\n1.关于加强队伍建设的建议。\n整改措施一是实施师德“铸魂”行动。开展整顿。"
            "二是实施人才“引育”行动。引进人才。三是实施教师“提质”行动。开展培训。\n")
    doc = process_text(text, name="made-up.txt")
    assert [m.title for m in doc.measures] == ["关于加强队伍建设的建议"]


def test_a_list_reporting_finished_work_holds_no_tasks_and_no_targets() -> None:
    text = ("今年计划新建学校项目3个。\n计划实施的3个项目已于9月底全部竣工,提前完成任务。具体情况如下:\n"
            "1.城东小学,建设面积5000平方米,投入资金800万元。\n2.城西中学,建设面积6000平方米,投入资金900万元。\n"
            "3.城北幼儿园,建设面积2000平方米,投入资金300万元。\n")
    doc = process_text(text, name="made-up.txt")
    assert doc.measures == []
    assert [(i.value, i.unit) for i in doc.indicators] == [(3, "个")]


def test_a_prefecture_that_speaks_as_全州_is_the_jurisdiction() -> None:
    text = ("楚雄州贯彻落实省委、省政府督察反馈意见整改清单\n"
            "全州各级领导干部要提高认识。州委、州政府统筹推进。\n")
    assert process_text(text, name="made-up.txt").meta.jurisdiction == "云南省楚雄州"


def test_one_ending_shared_by_a_counted_list_names_as_many_groups() -> None:
    doc = process_text("县政府决定成立县创文工作领导小组。"
                       "领导小组下设综合协调、宣传报道、督查考核3个工作组。", name="made-up.txt")
    assert [(g.name, g.parent) for g in doc.groups] == [
        ("县创文工作领导小组", None), ("综合协调工作组", "县创文工作领导小组"),
        ("宣传报道工作组", "县创文工作领导小组"), ("督查考核工作组", "县创文工作领导小组")]


def test_places_that_share_one_body_written_after_the_last() -> None:
    text = ("1.加快建设科学城。(牵头单位:市科技局;配合单位:东城区、西城区政府)\n"
            "2.推进都市圈建设。(安顺市、遵义市人民政府牵头,区发改委配合)\n")
    doc = process_text(text, name="made-up.txt")
    assert [[(u.mention, u.role) for u in m.units] for m in doc.measures] == [
        [("市科技局", "lead"), ("东城区政府", "support"), ("西城区政府", "support")],
        [("安顺市人民政府", "lead"), ("遵义市人民政府", "lead"), ("区发改委", "support")]]


def test_a_lead_mark_written_after_a_name_inside_a_unit_field() -> None:
    text = "1.地区生产总值增长6%左右。\n分管领导:王某\n部门分工:市发展改革委牵头,市统计局配合。\n"
    (m,) = process_text(text, name="made-up.txt").measures
    assert [(u.mention, u.role) for u in m.units] == [("市发展改革委", "lead"), ("市统计局", "support")]


def test_a_bare_组_group_named_with_its_leader() -> None:
    doc = process_text("6月20日,由市教育局副局长张某任组长的某市督导评估组对县政府履职情况进行督导评估。",
                       name="made-up.txt")
    assert [(g.name, g.leaders) for g in doc.groups] == [("某市督导评估组", ["张某"])]


# -- forms the rules above must leave alone (from the review of this change)

def test_a_site_footer_after_the_last_item_is_still_the_footer() -> None:
    text = ("一、重点任务\n1.推进学前教育普惠发展。\n2.推进义务教育均衡发展。\n"
            "3.实施校舍改造工程,新建学校2所。\n"
            "主办单位:某县人民政府办公室 承办单位:某县大数据中心\n网站标识码:1234\n")
    assert [m.units for m in process_text(text, name="made-up.txt").measures] == [[], [], []]


def test_the_plan_wide_first_unit_rule_names_no_lead_unit_of_a_group() -> None:
    text = "成立某市教育改革领导小组。\n分工如下,排在首位的部门为牵头单位,其他为配合单位。\n"
    (group,) = process_text(text, name="made-up.txt").groups
    assert group.lead_unit is None


def test_a_counted_list_ending_in_等_still_names_its_groups() -> None:
    doc = process_text("成立县创文领导小组。领导小组下设综合、宣传等2个组。", name="made-up.txt")
    assert [g.name for g in doc.groups] == ["县创文领导小组", "综合组", "宣传组"]


def test_generic_places_and_clauses_are_no_units_or_people() -> None:
    from kg.extract import orgnames
    assert orgnames.split_list("全市、各区县人民政府") == []
    assert not orgnames.is_name("县城镇")
    doc = process_text("副组长:副主任负责日常工作、李某某。", name="made-up.txt")
    assert [p.name for p in doc.people] == ["李某某"]


def test_sentences_ending_in_活动_are_no_run_in_headings() -> None:
    text = "四、重点任务\n全市开展主题教育活动。各校开展研学实践活动。社区开展志愿服务活动。\n"
    assert len(process_text(text, name="made-up.txt").measures) == 1
