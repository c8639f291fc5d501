"""People in more prose forms (made-up examples)."""

from __future__ import annotations

from kg.pipeline import process_text


def _people(text: str) -> dict[str, list[str]]:
    return {p.name: [q.post for q in p.posts] for p in process_text(text, name="made-up.txt").people}


def test_names_after_a_leaders_of_a_level_word_are_people_without_posts() -> None:
    got = _people("县委书记周建国调研学校建设,县领导吴长青、郑海波,局领导孙立陪同调研。")
    assert got["周建国"] == ["县委书记"]
    assert got["吴长青"] == [] and got["郑海波"] == [] and got["孙立"] == []


def test_a_post_never_runs_back_over_a_comrade() -> None:
    got = _people("县领导吴长青、郑海波,县相关部门主要负责同志县教体局党组书记、局长冯志远陪同")
    assert got["郑海波"] == []
    assert got["冯志远"] == ["县教体局党组书记", "局长"]


def test_a_name_before_a_bare_head_title_in_a_role_clause() -> None:
    doc = process_text("学校成立以赵明德校长为组长的校舍安全工作领导小组,负责整改。", name="made-up.txt")
    assert {p.name: [q.post for q in p.posts] for p in doc.people} == {"赵明德": ["校长"]}
    assert [g.leaders for g in doc.groups] == [["赵明德"]]
    assert "惠州市" not in _people("惠州市市长刘某出席。")
