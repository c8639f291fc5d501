"""Header metadata by the form of the header (kg/meta.py). Every example is made up:
other places, names, numbers and dates than the documents that showed the need."""

from __future__ import annotations

import pytest

from kg.meta import is_junk, iso, lexicon, split_issuers, unwrap
from kg.model import Meta
from kg.normalize import normalize
from kg.parse import parse_meta


def meta(text: str) -> Meta:
    return parse_meta(normalize(text).text)


def test_portal_junk_before_a_wrapped_plan() -> None:
    m = meta("首页 > 政务公开 > 通知公告\n"
             "发布时间:2023-06-12 来源:桐梓县教育局 作者:李 点击数:\n"
             "索引号:000000/2023-001 | 发布机构:桐梓县教育局 | 文号:桐教发〔2023〕12号\n"
             "桐梓县教育局关于印发《桐梓县2023年校园安全专项整治方案》的通知\n"
             "各中小学:\n现将《桐梓县2023年校园安全专项整治方案》印发给你们,请认真执行。\n"
             "桐梓县教育局\n2023年6月9日\n桐梓县2023年校园安全专项整治方案\n一、工作目标\n")
    assert m.title == "桐梓县2023年校园安全专项整治方案"
    assert m.doc_number == "桐教发〔2023〕12号"
    assert (m.date_written, m.date_published) == ("2023-06-09", "2023-06-12")
    assert m.issuer == ["桐梓县教育局"]
    assert m.jurisdiction and m.jurisdiction.endswith("桐梓县")


def test_a_news_portal_reposting_a_plan_in_traditional_characters() -> None:
    m = meta("校園健康資訊網\n首頁 > 政策資訊\n《湖北省中小學生近視防控行動計劃》印發\n"
             "發佈時間:2025-04-08 09:10:11 | 來源:某某網 | 作者:王一\n"
             "4月2日,湖北省教育廳等八部門聯合印發《湖北省中小學生近視防控行動計劃》,全文如下:\n"
             "湖北省中小學生近視防控行動計劃\n"
             "為切實加強全省兒童青少年近視防控工作,結合我省實際,制定本行動計劃。\n一、總體要求\n")
    assert m.title == "湖北省中小学生近视防控行动计划"
    assert m.date_written == "2025-04-02"  # the year of the page's date
    assert m.date_published == "2025-04-08"
    assert m.jurisdiction == "湖北省"


def test_a_plan_printed_under_its_covering_notice_has_its_title_after_the_signature() -> None:
    m = meta("各区县教育局,市直各学校:\n现将《绵竹市学校食堂管理提升实施方案》印发给你们,请遵照执行。\n"
             "绵竹市教育局\n2022年3月1日\n— 2 —\n绵竹市学校食堂管理\n提升实施方案\n"
             "为进一步规范学校食堂管理,制定本方案。\n一、目标任务\n")
    assert m.title == "绵竹市学校食堂管理提升实施方案"
    assert m.date_written == "2022-03-01"


def test_a_title_broken_over_lines_is_joined() -> None:
    m = meta("黄冈市人民政府办公室关于成立\n黄冈市义务教育质量提升工作领导小组的通知\n"
             "黄政办函〔2022〕8号\n各县市区人民政府,市直有关部门:\n为加强领导,决定成立领导小组。\n")
    assert m.title == "黄冈市人民政府办公室关于成立黄冈市义务教育质量提升工作领导小组的通知"
    assert m.doc_number == "黄政办函〔2022〕8号"


def test_a_page_headline_gives_way_to_the_documents_own_title() -> None:
    m = meta("湖南省关于成立湖南省数字乡村建设领导小组的通知\n- 来源:\n- 发布时间:\n- 2021年03月05日\n"
             "湖南省人民政府办公厅关于成立湖南省\n数字乡村建设领导小组的通知\n湘政办函〔2021〕11号\n"
             "各市州人民政府,省政府各厅委、各直属机构:\n为加强统筹,决定成立领导小组。\n")
    assert m.title == "湖南省人民政府办公厅关于成立湖南省数字乡村建设领导小组的通知"
    assert m.date_published == "2021-03-05"  # the value on the line under its label
    assert m.doc_number == "湘政办函〔2021〕11号"


def test_a_wrapper_naming_two_plans_gives_the_one_printed() -> None:
    m = meta("安顺市人民政府办公室关于印发安顺市托育服务提升行动方案和安顺\n市普惠养老服务行动方案的通知\n"
             "各县区人民政府:\n现将两个方案印发给你们。\n安顺市人民政府办公室\n2020年5月6日\n"
             "安顺市托育服务提升行动方案\n为发展托育服务,制定本方案。\n")
    assert m.title == "安顺市托育服务提升行动方案"
    assert m.issuer == ["安顺市人民政府办公室"]


def test_a_notice_that_carries_its_plan_as_an_attachment() -> None:
    m = meta("营山县人民政府办公室关于做好2019年民生实事督办工作的通知\n"
             "各乡镇人民政府,县级各部门:\n现将2019年民生实事目标任务分解下达,请认真落实。\n"
             "附件:2019年民生实事任务分解表\n营山县人民政府办公室\n2019年3月1日\n附件\n"
             "2019年民生实事任务分解表\n序号\n民生实事\n责任单位\n")
    assert m.title == "2019年民生实事任务分解表"
    assert m.date_written == "2019-03-01"


def test_a_page_that_starts_in_the_middle_of_a_document_has_no_title() -> None:
    m = meta("3.加强乡村学校教师培训。各县区要落实培训经费,每年培训不少于两次。\n"
             "4.完善乡村教师荣誉制度。对长期在乡村任教的教师给予表彰。\n")
    assert m.title is None


def test_a_news_item_keeps_its_headline_and_a_date_without_year_stays_unknown() -> None:
    m = meta("南岸区召开中小学安全工作推进会\n6月3日,南岸区中小学安全工作推进会在区教委召开。"
             "区教委主任刘某出席会议并讲话。\n")
    assert m.title == "南岸区召开中小学安全工作推进会"
    assert m.date_written is None and m.date_published is None


def test_a_site_name_above_the_headline_is_not_the_title() -> None:
    m = meta("某某教育资讯网\n首页 > 新闻中心\n城口县举行校园足球联赛开幕式\n"
             "发布时间:2022-10-09 来源:城口县教委\n10月8日上午,城口县校园足球联赛开幕。\n")
    assert m.title == "城口县举行校园足球联赛开幕式"
    assert m.date_published == "2022-10-09"


def test_a_news_item_on_a_government_work_report() -> None:
    m = meta("大会现场 李某 摄\n3月2日,盐亭县第十届人民代表大会第三次会议开幕,县长张某作政府工作报告。\n"
             "张某在报告中说,2023年全县经济稳中有进。报告提出了2024年主要预期目标。\n")
    assert m.title == "政府工作报告"
    assert m.date_written == "2024-03-02"  # the latest year the report speaks of as its own
    assert m.jurisdiction and m.jurisdiction.endswith("盐亭县")


def test_a_report_dated_by_its_subtitle() -> None:
    m = meta("政府工作报告\n——2025年1月20日在某某省第十四届人民代表大会第三次会议上\n"
             "各位代表:\n现在,我代表省人民政府向大会报告工作。\n")
    assert m.title == "政府工作报告"
    assert m.date_written == "2025-01-20"


def test_a_sharing_site_names_the_page_by_its_file() -> None:
    m = meta("2023年农村供水保障任务清单.docx\n"
             "《2023年农村供水保障任务清单.docx》由会员分享,可在线阅读,更多相关请在某某文库上搜索。\n"
             "1、2023年农村供水保障任务清单序号项目名称牵头单位\n")
    assert m.title == "2023年农村供水保障任务清单"


def test_sharing_site_widgets_and_its_upload_date() -> None:
    m = meta("县农业农村局2023年工作要点\nVIP专享\n2024-01-15\n999+\n12.3KB\n8 页\n海报\n侵权投诉\n"
             "县农业农村局 2023 年工作要点\n"
             "2023年是全面贯彻党的二十大精神的开局之年,全县农业农村工作要稳中求进。\n")
    assert m.title == "县农业农村局2023年工作要点"
    assert m.date_published == "2024-01-15"


def test_a_page_that_opens_with_its_numbered_table_title() -> None:
    m = meta("一、2022年为民办实事项目分解表\n序号 | 项目 | 责任单位 |\n1 | 新建幼儿园2所 | 县教育局 |\n")
    assert m.title == "2022年为民办实事项目分解表"


def test_fields_in_brackets_run_into_the_text() -> None:
    m = meta("兴义市人民政府关于印发兴义市2017年城市管理实施方案的通知【法规类别】城建综合规定"
             "【发文字号】兴府发[2017]3号【发布部门】兴义市政府【发布日期】2017.04.20【时效性】现行有效"
             "兴义市人民政府关于印发兴义市2017年城市管理实施方案的通知各乡镇人民政府:现将方案印发给你们。\n"
             "兴义市人民政府2017年4月18日兴义市2017年城市管理实施方案为加强城市管理,制定本方案。\n")
    assert m.doc_number == "兴府发[2017]3号"
    assert m.date_published == "2017-04-20"
    assert m.date_written == "2017-04-18"  # the signature run together with the next text


@pytest.mark.parametrize("text, expected", [
    ("二〇一九年十一月五日", "2019-11-05"),
    ("二○○八年十月三十日", "2008-10-30"),
    ("2021 年 3 月 9 日", "2021-03-09"),
    ("2020.7.1", "2020-07-01"),
    ("2019年13月1日", None),
])
def test_dates_in_every_writing(text: str, expected: str | None) -> None:
    assert iso(text) == expected


def test_a_signature_in_chinese_numerals_and_the_colophon() -> None:
    m = meta("南漳县教育局关于调整学校安全工作领导小组的通知\n各学校:\n经研究,决定调整领导小组。\n"
             "二〇一八年五月四日\n主题词:安全 领导小组 通知\n")
    assert m.date_written == "2018-05-04"
    m = meta("南漳县教育局关于调整学校安全工作领导小组的通知\n各学校:\n经研究,决定调整领导小组。\n"
             + "一、组长:某某\n" * 70 + "南漳县教育局办公室 2018年5月4日印发\n")
    assert m.date_written == "2018-05-04"


@pytest.mark.parametrize("line", [
    "首页 > 政务公开 > 规划计划", "您当前的位置: 首页>>信息公开", "发布日期:2021-05-07 浏览次数:",
    "2024-03-18 作者: 点击数:", "http://www.example.cn 2026年2月3日 来源:某省教育厅", "29.51KB",
    "24 页", "VIP专免", "【字体:大 中 小】", "今天是:", "大会现场 王某 摄", "— 3 —", "枝江市教育局文件",
    "2019年8月1日",
])
def test_junk_lines_of_the_page(line: str) -> None:
    assert is_junk(line)


@pytest.mark.parametrize("line", [
    "枝江市2024年教育工作要点", "关于印发《某县信息公开工作方案》的通知", "政府信息公开工作年度报告",
])
def test_titles_are_no_junk(line: str) -> None:
    assert not is_junk(line)


def test_unwrap_and_issuer_lists() -> None:
    lex = lexicon()
    plans, issuer = unwrap("中共永仁县委办公室 永仁县人民政府办公室 "
                           "关于印发《永仁县教育强县三年行动方案》的通知", lex)
    assert plans == ["永仁县教育强县三年行动方案"]
    assert split_issuers(issuer or "", lex) == ["中共永仁县委办公室", "永仁县人民政府办公室"]
    assert split_issuers("黔西市教育局、黔西市财政局", lex) == ["黔西市教育局", "黔西市财政局"]
    plans, _ = unwrap("某市关于转发某省关于印发《某省学前教育条例实施办法》的通知的通知", lex)
    assert plans == ["某省学前教育条例实施办法"]


@pytest.mark.parametrize("text, ending", [
    # the place after 中共/政协 is still a place
    ("中共凤冈县委关于成立教育工作领导小组的通知\n各乡镇党委:\n", "凤冈县"),
    ("政协阿拉善盟工作委员会关于成立界别活动小组的通知\n各界别:\n", "阿拉善盟"),
    # an autonomous prefecture by its short form, written so
    ("恩施州教育局关于印发《恩施州校外培训治理方案》的通知\n各县市教育局:\n", "湖北省恩施州"),
    # 全省 said around a named district, the province unnamed
    ("5月6日,达州市通川区第五届人民代表大会开幕。全省排名靠前,全省第三。全区经济增长。\n", "达州市通川区"),
    # a county named only by its schools
    ("完成修水一中扩建工程。全县新增学位500个,全县完成校舍改造。\n", "修水县"),
    # an autonomous region calls itself 全区
    ("广西壮族自治区关于推进义务教育优质均衡的意见\n全区各地要落实。全区到2027年,南宁市率先实现。\n",
     "广西壮族自治区"),
])
def test_jurisdiction_by_form(text: str, ending: str) -> None:
    assert (meta(text).jurisdiction or "").endswith(ending)


def test_a_central_body_is_national() -> None:
    m = meta("国务院办公厅关于成立全国人口普查领导小组的通知\n国办发〔2020〕9号\n"
             "各省、自治区、直辖市人民政府,国务院各部委、各直属机构:\n为加强领导,决定成立领导小组。\n")
    assert m.jurisdiction == "全国"
    ministry = meta("教育部关于开展中小学阅读行动的通知\n各省、自治区、直辖市教育厅(教委):\n")
    assert ministry.jurisdiction == "全国"


def test_a_county_document_never_becomes_national() -> None:
    m = meta("组织部关于开展干部培训的通知\n全县各单位:\n全县要落实培训。\n")
    assert m.jurisdiction != "全国"


def test_a_variant_character_t2s_leaves() -> None:
    assert meta("陜西省學前教育行動計劃\n為發展學前教育,制定本計劃。\n").title == "陕西省学前教育行动计划"


def test_a_lone_date_under_a_headline_is_the_page_date_not_the_signature() -> None:
    m = meta("石柱县开展学生资助政策宣传月活动\n2023年9月12日\n"
             "为让资助政策家喻户晓,县教委开展宣传月活动。各校要组织学生学习。\n")
    assert (m.date_published, m.date_written) == ("2023-09-12", None)


def test_a_title_whose_period_stands_on_the_next_line() -> None:
    m = meta("龙泉驿区教育质量提升三年行动方案\n(2024—2026年)\n为提升教育质量,制定本方案。\n")
    assert m.title == "龙泉驿区教育质量提升三年行动方案(2024—2026年)"


def test_a_bracketed_date_under_the_title_is_the_documents_own() -> None:
    m = meta("榕江县教育局2023年工作要点\n(2023年2月10日)\n2023年,全县教育工作要坚持稳中求进。\n"
             "一、加强党的建设\n")
    assert (m.title, m.date_written, m.date_published) == ("榕江县教育局2023年工作要点", "2023-02-10", None)


def test_the_doc_number_in_brackets_after_the_title() -> None:
    m = meta("关于做好2022年秋季学期开学工作的通知(镇教发〔2022〕15号)\n各学校:\n"
             "为做好开学工作,现通知如下。\n")
    assert (m.title, m.doc_number) == ("关于做好2022年秋季学期开学工作的通知", "镇教发〔2022〕15号")


def test_a_metadata_block_laid_out_with_tabs() -> None:
    m = meta("索引号\t11510000/2022-01\t发布机构\t万源市教科局\n成文日期\t2022-04-01\t发布日期\t2022-04-06\n"
             "万源市教科局关于印发《万源市2022年教育工作要点》的通知\n各学校:\n现将要点印发给你们。\n")
    assert m.title == "万源市2022年教育工作要点"
    assert m.issuer == ["万源市教科局"]
    assert (m.date_written, m.date_published) == ("2022-04-01", "2022-04-06")


def test_a_notice_printing_a_plan_it_does_not_name() -> None:
    m = meta("宣汉县教育局关于开展校园欺凌专项治理的通知\n各中小学:\n为加强治理,现将有关事项通知如下。\n"
             "宣汉县教育局\n2021年4月2日\n宣汉县校园欺凌专项治理实施方案\n一、治理目标\n")
    assert m.title == "宣汉县校园欺凌专项治理实施方案"
    assert m.wrapper_title == "宣汉县教育局关于开展校园欺凌专项治理的通知"
    assert m.date_written == "2021-04-02"


def test_a_notice_with_nothing_printed_under_it_keeps_its_title() -> None:
    m = meta("宣汉县教育局关于调整学校安全工作领导小组的通知\n各中小学:\n经研究,决定调整领导小组。\n"
             "宣汉县教育局\n2021年4月2日\n(此件公开发布)\n")
    assert m.title == "宣汉县教育局关于调整学校安全工作领导小组的通知"


def test_a_site_name_is_not_joined_to_the_title_under_it() -> None:
    m = meta("某某法律信息网\n梧州市人民政府办公室关于印发梧州市控辍保学实施方案的通知\n"
             "各县(市、区)人民政府:\n现将方案印发给你们。\n")
    assert m.title == "梧州市控辍保学实施方案"
    assert m.issuer == ["梧州市人民政府办公室"]


def test_the_issuer_of_a_notice_and_a_list_of_issuers_printed_apart() -> None:
    m = meta("柳城县教育局关于成立课后服务工作领导小组的通知\n各学校:\n为做好课后服务,决定成立领导小组。\n")
    assert m.issuer == ["柳城县教育局"]
    m = meta("中共柳城县委办公室 柳城县人民政府办公室\n关于印发《柳城县教育振兴行动方案》的通知\n"
             "各乡镇:\n现印发给你们。\n")
    assert m.title == "柳城县教育振兴行动方案"
    assert m.issuer == ["中共柳城县委办公室", "柳城县人民政府办公室"]


def test_a_page_title_with_its_sites_name_after_it() -> None:
    m = meta("凯里市2022年义务教育招生工作方案_凯里市人民政府\n凯里市2022年义务教育招生工作方案\n"
             "为做好招生工作,制定本方案。\n")
    assert m.title == "凯里市2022年义务教育招生工作方案"


def test_a_county_level_city_speaking_of_its_quanshi() -> None:
    m = meta("邛崃市教育局关于印发《邛崃市2023年教育工作要点》的通知\n全市各学校:\n全市要抓好落实。\n")
    assert (m.jurisdiction or "").endswith("邛崃市")


def test_a_division_newer_than_the_gazetteers_data() -> None:
    m = meta("叙州区教育和体育局关于印发《叙州区2023年教育工作要点》的通知\n全区各学校:\n全区抓好落实。\n")
    assert m.jurisdiction == "四川省宜宾市叙州区"


def test_a_county_name_two_provinces_have_is_kept_as_written() -> None:
    """铁东区 is in 鞍山 and in 四平: with nothing else to place it, the title's name stands."""
    from kg.pipeline import process_text

    text = "铁东区“十四五”教育事业发展专项规划\n一、发展基础\n全区现有学校42所。\n"
    doc = process_text(text, name="made-up.txt")
    assert doc.meta.jurisdiction == "铁东区"


def test_division_names_of_a_prefix_come_from_the_whole_texts_scan() -> None:
    """The lead lines begin the body: their names are read off the body's scan, and a name
    the prefix cuts (山东|省, 内蒙|古) is what a scan of the prefix alone finds."""
    from kg import gazetteer

    text = "山东省济南市教育局联合内蒙古自治区乌兰察布市集宁区,数字山东,示范县长治久安。"
    whole = gazetteer._candidates(text)
    for cut in range(len(text) + 1):
        assert gazetteer._mentions_of_prefix(text[:cut], whole) == gazetteer._mentions(text[:cut])
    assert ("济南市", 3) in gazetteer._mentions(text)


def test_joint_issuers_glued_together_or_signed_one_above_the_other() -> None:
    from kg.meta import lexicon, split_issuers
    from kg.pipeline import process_text
    assert split_issuers("中共连江县委连江县人民政府", lexicon()) == ["中共连江县委", "连江县人民政府"]
    assert split_issuers("黑龙江省人民政府办公厅", lexicon()) == ["黑龙江省人民政府办公厅"]
    text = ("关于印发《2024年工作要点》的通知\n各市州教育局:\n现将《2024年工作要点》印发给你们。\n"
            "中共湖南省委教育工委\n湖南省教育厅\n2024年2月1日\n")
    assert process_text(text, name="made-up.txt").meta.issuer == ["中共湖南省委教育工委", "湖南省教育厅"]
