"""Which numbered lists hold tasks, read from what introduces them (made-up examples)."""

from __future__ import annotations

from kg.normalize import normalize
from kg.pipeline import process_text


def _titles(text: str) -> list[str]:
    return [m.title for m in process_text(text, name="made-up.txt").measures]


REPORT = (
    "某镇中心小学自查报告 经检查,我校还存在以下问题: 1、图书室藏书不足,每生仅8册; "
    "2、实验仪器老化,部分缺失。 针对以上问题,现将整改情况报告如下: "
    "1、学校购置图书2000册,于2031年3月完成; 2、学校更新实验仪器,补齐缺失设备。"
)


def test_a_list_of_findings_holds_no_tasks_and_the_remedies_after_it_do() -> None:
    titles = _titles(REPORT)
    assert len(titles) == 2
    assert titles[0].startswith("学校购置图书") and titles[1].startswith("学校更新实验仪器")


def test_findings_assigned_to_someone_are_tasks() -> None:
    text = ("督查发现的具体问题如下:\n1. 城西公园\n(1)垃圾未及时清运;\n(2)标识破损。\n"
            "问题整改责任单位:区城管局 整改时限:3天\n2. 城东车站\n(1)宣传栏缺失。\n"
            "问题整改责任单位:区交通局 整改时限:5天\n")
    assert len(_titles(text)) == 2


def test_the_background_section_is_no_line_of_work_though_it_opens_with_a_verb() -> None:
    text = ("一、发展基础\n1.办学格局日趋完善\n全县已建成学校42所。\n"
            "二、提升办学质量\n1.实施强校工程。到2030年建成优质学校10所。\n")
    assert _titles(text) == ["实施强校工程"]


def test_a_sentence_ending_in_a_task_word_is_no_task_heading() -> None:
    text = ("1、学校要求总务处改造旧校舍,2031年5月底完成整改任务;\n"
            "2、学校要求后勤处更新课桌椅,2031年6月底完成。\n")
    assert len(_titles(text)) == 2


def test_spaces_between_chinese_and_numbers_are_dropped() -> None:
    assert normalize("于 2031 年 6 月 11 日检查,共 180 瓦").text == "于2031年6月11日检查,共180瓦"
    assert normalize("1 加快建设").text == "1 加快建设"  # a marker at the line's start stays apart
