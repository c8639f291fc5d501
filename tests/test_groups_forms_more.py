"""Groups and rosters in forms beyond the 领导小组 with 组长 (made-up examples)."""

from __future__ import annotations

from kg.pipeline import process_text

JOINT = """某市教育局关于建立某市校舍改造工作联席会议制度的通知
各区人民政府:
经市政府同意,决定建立校舍改造工作联席会议制度。成员名单如下:
总召集人:周立新 副市长
副召集人:吴海 市政府副秘书长
成 员:郑一鸣 市教育局副局长
"""

TASK_FORCE = """关于成立某县智慧教育建设专班的通知
各乡镇:
县政府决定成立某县智慧教育建设专班。
一、专班组成人员
主任:李国强(县政府副县长)
副主任:王志刚(县教育局局长)
成员:陈立(县财政局党组书记、局长)
赵明(县发改委党组副书记、主任)
二、工作制度
(一)例会制度。每月召开一次专班会议,负责研究解决重点问题。
"""


def test_a_joint_conference_set_up_as_a_system_is_a_group_with_its_conveners() -> None:
    doc = process_text(JOINT, name="made-up.txt")
    (group,) = doc.groups
    assert group.name == "某市校舍改造工作联席会议"
    assert group.leaders == ["周立新"] and group.deputies == ["吴海"]


def test_a_task_force_headed_by_a_director_and_a_role_word_inside_a_bracket() -> None:
    doc = process_text(TASK_FORCE, name="made-up.txt")
    (group,) = doc.groups
    assert group.leaders == ["李国强"] and group.deputies == ["王志刚"]  # 赵明's 主任 is his post
    posts = {p.name: [q.post for q in p.posts] for p in doc.people}
    assert posts["赵明"] == ["县发改委党组副书记", "主任"]


def test_the_rules_of_procedure_are_no_tasks() -> None:
    assert process_text(TASK_FORCE, name="made-up.txt").measures == []
