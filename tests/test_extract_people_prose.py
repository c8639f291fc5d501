"""People named outside rosters (kg/extract/mentions.py through people.py): news reports of
meetings, report items, the leader column of task tables. Every example is made up."""

from __future__ import annotations

from kg.extract import mentions
from kg.model import Document, Person
from kg.pipeline import process_text


def _people(text: str) -> dict[str, list[str]]:
    doc = process_text(text)
    return {p.name: [h.post for h in p.posts] for p in doc.people}


def _doc(text: str) -> Document:
    return process_text(text)


def _person(doc: Document, name: str) -> Person:
    found = [p for p in doc.people if p.name == name]
    assert found, f"{name} not among {[p.name for p in doc.people]}"
    return found[0]


# ------------------------------------------------------------------------ post, then name


def test_post_then_name_in_a_meeting_report() -> None:
    got = _people("3月2日,全县春季植树动员会召开。县委副书记邵长河主持会议,"
                  "县林业局局长葛明远作工作报告。")
    assert got == {"邵长河": ["县委副书记"], "葛明远": ["县林业局局长"]}


def test_post_without_level_prefix_and_a_two_character_name() -> None:
    # 向 ends 吴凯 (a two-character name), 主持 ends 苗合宜
    got = _people("开幕式上,县长吴凯向大会作报告。会议由文旅局局长苗合宜主持。")
    assert got == {"吴凯": ["县长"], "苗合宜": ["文旅局局长"]}


def test_chained_posts_and_an_attendance_list() -> None:
    doc = _doc("出席会议的有市委常委、宣传部部长韦思远,副市长柏晓林,市政府秘书长卞立群等。")
    assert [h.post for h in _person(doc, "韦思远").posts] == ["市委常委", "宣传部部长"]
    assert [h.post for h in _person(doc, "柏晓林").posts] == ["副市长"]
    assert [h.post for h in _person(doc, "卞立群").posts] == ["市政府秘书长"]
    # the 宣传部 of a 市委常委 is the 市委宣传部
    assert _person(doc, "韦思远").posts[1].org.endswith("市委宣传部")


def test_one_post_shared_by_a_list_of_names() -> None:
    got = _people("省政府督学康乐平、邰文静、蓝海生,评估专家龚一鸣等参加了汇报会。")
    assert got == {"康乐平": ["省政府督学"], "邰文静": ["省政府督学"], "蓝海生": ["省政府督学"],
                   "龚一鸣": ["评估专家"]}


def test_a_post_does_not_run_back_into_the_sentence() -> None:
    got = _people("全会认真贯彻落实市委书记卢向东讲话精神;按照副市长裴玉兰同志的部署,各区抓好落实。")
    assert got == {"卢向东": ["市委书记"], "裴玉兰": ["副市长"]}


def test_place_before_a_party_committee_stays_in_the_post() -> None:
    got = _people("会议由江北区委常委、常务副区长穆怀远主持。")
    assert got == {"穆怀远": ["江北区委常委", "常务副区长"]}


def test_role_in_a_named_group_is_a_post_but_a_bare_role_is_not() -> None:
    got = _people("巡查组组长骆清源宣读了巡查方案。随后,组长汤建军作了发言。")
    assert got == {"骆清源": ["巡查组组长"]}


def test_by_role_clause_names_the_person() -> None:
    got = _people("成立县城乡环境整治领导小组,由副县长滕远航任组长。")
    assert got["滕远航"] == ["副县长"]


def test_fuller_form_of_a_post_is_kept() -> None:
    doc = _doc("副区长鲍雨桐出席。会上,区政府副区长鲍雨桐作了讲话。")
    person = _person(doc, "鲍雨桐")
    assert [h.post for h in person.posts] == ["区政府副区长"]
    assert person.rule == "people.prose-post-name"
    assert all(h.rule == "people.prose-post-name" for h in person.posts)


def test_deputy_is_another_post_not_a_fuller_form() -> None:
    got = _people("县长甘志明、副县长甘志明出席。")
    assert got == {"甘志明": ["县长", "副县长"]}


# ------------------------------------------------------------------------ name, then post


def test_name_then_post() -> None:
    got = _people("抄送:市教育局,县委办,巫丽萍副县长。\n卢远桥副主任联系文教界别小组。")
    assert got == {"巫丽萍": ["副县长"], "卢远桥": ["副主任"]}


def test_padded_name_then_post() -> None:
    got = _people("韩 冬副主任联系农林界别小组;")
    assert got == {"韩冬": ["副主任"]}


def test_name_with_post_in_brackets() -> None:
    got = _people("会议听取了宁秀峰(县委书记)、廖文涛(县政府副县长、县公安局局长)的意见。")
    assert got == {"宁秀峰": ["县委书记"], "廖文涛": ["县政府副县长", "县公安局局长"]}


def test_comrade_with_and_without_a_post() -> None:
    got = _people("经研究,决定翁海川同志任县卫生健康局局长;邝丽君同志不再担任该职务。")
    assert got == {"翁海川": ["县卫生健康局局长"], "邝丽君": []}


# ------------------------------------------------------------------------ not people


def test_bylines_are_no_people() -> None:
    got = _people("记者 卓文辉 通讯员 舒晓\n责任编辑:冉小雨\n大会现场 景一凡 摄\n县长严松柏出席会议。")
    assert got == {"严松柏": ["县长"]}


def test_words_places_and_bare_posts_are_no_people() -> None:
    text = ("推进中小学法治副校长全覆盖。各单位主要负责人应当到会。平原县委书记出席。"
            "各位领导:现将有关情况报告如下。项目负责人应当签字。秦州区委常委会研究了此事。")
    assert _people(text) == {}


def test_roster_people_keep_the_roster_rule() -> None:
    doc = _doc("一、领导小组\n组长:符志强 县委书记\n副组长:闫冬梅 副县长\n")
    assert _person(doc, "符志强").rule == "people.roster"
    assert [h.rule for h in _person(doc, "闫冬梅").posts] == ["people.roster"]


# ------------------------------------------------------------------------ task tables


def test_leader_column_of_a_pipe_table() -> None:
    text = ("序号 | 重点任务 | 责任领导 | 责任单位 | 完成时限 |\n"
            "1 | 新建城东幼儿园,增加学位360个。 | 龙海涛 | 县教育局 | 2025年底 |\n"
            "2 | 改造老旧供水管网12公里。 | 龙海涛、柴玉梅 | 县住建局 | 2025年底 |\n"
            "3 | 建成乡镇污水处理站4个。 | 副县长司马云飞 | 县生态环境局 | 2025年底 |\n")
    doc = _doc(text)
    names = {p.name: [h.post for h in p.posts] for p in doc.people}
    assert names == {"龙海涛": [], "柴玉梅": [], "司马云飞": ["副县长"]}
    assert _person(doc, "柴玉梅").rule == "people.table-leader"


def test_leader_column_one_cell_per_line() -> None:
    text = ("序号\n工作任务\n分管领导\n牵头单位\n1\n开展校园安全排查。\n饶德胜\n区教委\n"
            "2\n建设智慧课堂。\n戚雅琴\n区教委\n")
    assert _people(text) == {"饶德胜": [], "戚雅琴": []}


def test_leader_column_with_cells_run_together() -> None:
    text = ("民生实事项目表序号项目名称主要内容县政府分管领导牵头单位配合单位1城区绿化提升新增绿地20公顷。"
            "瞿志坚住建局城管局2养老服务提升新建日间照料中心3个。阙晓红民政局各镇\n")
    assert _people(text) == {"瞿志坚": [], "阙晓红": []}


def test_a_table_without_leader_column_gives_nobody() -> None:
    text = ("序号 | 重点任务 | 责任单位 | 完成时限 |\n"
            "1 | 推进高校毕业生就业 | 县人社局 | 常态化 |\n")
    assert _people(text) == {}


def test_names_run_together_split_by_commonest_surnames() -> None:
    lex = mentions.rosters.lexicon()
    assert [n for n, *_ in mentions.split_run("王建国李明", 0, lex)] == ["王建国", "李明"]
    assert mentions.split_run("城区街道", 0, lex) == []


# ------------------------------------------------------------------------ roster variants


def test_label_with_alias_and_names_with_workplaces() -> None:
    text = ("(二)巡查小组\n组长(召集人):裴永胜\n成员: 左海燕(教研室) 符敏(城关小学)\n"
            "覃立新(实验中学) 滕晓(第二中学)\n各校要抓好落实。\n")
    got = _people(text)
    assert got == {"裴永胜": [], "左海燕": [], "符敏": [], "覃立新": [], "滕晓": []}
    doc = _doc(text)
    # rosters.py reads 组长(召集人): since the groups work; mentions.py reads it when rosters do not
    assert _person(doc, "裴永胜").rule in ("people.roster", "people.roster-label")
    assert _person(doc, "覃立新").rule == "people.roster-continued"


def test_name_with_a_pronoun_character_is_still_a_name() -> None:
    got = _people("副组长:马正其 县财政局局长\n")
    assert got == {"马正其": ["县财政局局长"]}
    assert _people("会议决定任命其为组长。") == {}


def test_a_name_inside_a_cited_title_is_no_person() -> None:
    assert _people("持有《外国专家来华工作许可证》的人员。") == {}


def test_leader_column_of_a_box_drawn_table() -> None:
    text = "│序号│工作任务│分管县领导│牵头单位│\n│1│改造城区背街小巷│龚德明│县住建局│\n"
    assert _people(text) == {"龚德明": []}


def test_leader_field_of_a_task() -> None:
    text = ("1.改造城区背街小巷。责任领导:龚德明 责任单位:县住建局\n"
            "2.建设农贸市场。区政府分管领导:副区长黎小燕;牵头单位:区商务局。\n"
            "3.完善制度。责任领导:县政府分管领导\n")
    doc = _doc(text)
    assert {p.name: [h.post for h in p.posts] for p in doc.people} == {"龚德明": [], "黎小燕": ["副区长"]}
    assert _person(doc, "龚德明").rule == "people.leader-field"


def test_title_trie_matches_the_longest_title() -> None:
    import re

    pattern = re.compile(mentions.trie_pattern({"主任", "主任委员", "副主任", "常委", "常务副县长"}))
    found = [m.group(0) for m in pattern.finditer("主任委员、主任委、常务副县长、常委、副主任")]
    assert found == ["主任委员", "主任", "常务副县长", "常委", "副主任"]


def test_a_byline_clause_does_not_hide_the_report() -> None:
    got = _people("本报讯(记者 卓文辉)县长严松柏和冉立新出席了开工仪式。")
    assert got == {"严松柏": ["县长"], "冉立新": ["县长"]}


def test_a_credit_earlier_in_the_sentence_is_no_byline() -> None:
    got = _people("记者从县教体局获悉,局长薛明亮表示,今年将新建学校3所。县人大常委会副主任 阮 红出席。")
    assert got == {"薛明亮": ["局长"], "阮红": ["县人大常委会副主任"]}


def test_a_name_with_a_middle_dot() -> None:
    assert _people("自治区副主席 吐尔逊·买买提出席会议。") == {"吐尔逊·买买提": ["自治区副主席"]}


def test_leader_cell_of_a_row_whose_columns_shifted() -> None:
    text = ("序号 重点任务 责任领导 责任单位 完成时限\n"
            "1 新建 城东幼儿园 龙海涛 县教育局 常态化\n"
            "2 改造供水管网 龙海涛 县住建局 2025年底\n")
    assert _people(text) == {"龙海涛": []}
