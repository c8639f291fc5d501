"""Task tables whose cells were run together without separators (kg/extract/runon.py).
The examples are made up in the form document-sharing sites print Word tables."""

from __future__ import annotations

from kg.extract import orgnames, runon
from kg.pipeline import process_text

TABLE = (
    "附件\n"
    "1、某县2030年民生项目责任分解表序号项目名称建设内容县政府分管领导牵头单位配合单位"
    "1扩充学前教育资源实施新建幼儿园6所,增加学位1800个。赵立新教育局财政局自然资源局"
    "2改善农村交通条件完成通村公路改造80公里。钱文教交通局各乡镇农业\n"
    "2、农村局3提升医疗服务水平推进乡镇卫生院标准化建设。孙晓峰卫健局医保局"
    "改造县医院急诊楼。李春华发改委住建局\n"
)


def _measures(text: str) -> dict[str, dict]:
    doc = process_text(text, name="made-up.txt")
    return {m.key: {"title": m.title, "lead": [u.mention for u in m.units if u.role == "lead"],
                    "support": [u.mention for u in m.units if u.role == "support"], "rule": m.rule}
            for m in doc.measures}


def test_a_run_together_table_gives_its_rows_with_units_by_column() -> None:
    got = _measures(TABLE)
    assert list(got) == ["1", "2", "3"]
    assert got["1"]["title"] == "扩充学前教育资源"
    assert got["1"]["rule"] == "measure.table-row.run"
    assert got["1"]["lead"] == ["教育局"] and got["1"]["support"] == ["财政局", "自然资源局"]


def test_the_page_prefix_inside_a_cell_is_cut_and_the_row_goes_on() -> None:
    got = _measures(TABLE)
    # 各乡镇 (every one of a kind) is part of the unit run but no unit; the cell goes on past `2、`
    assert got["2"]["lead"] == ["交通局"] and got["2"]["support"] == ["农业农村局"]


def test_a_second_task_of_a_row_brings_its_own_leader_and_units() -> None:
    got = _measures(TABLE)
    assert got["3"]["lead"] == ["卫健局", "发改委"]
    assert got["3"]["support"] == ["医保局", "住建局"]


def test_the_leaders_are_people_of_the_plan() -> None:
    doc = process_text(TABLE, name="made-up.txt")
    assert {"赵立新", "钱文教", "孙晓峰", "李春华"} <= {p.name for p in doc.people}


def test_a_header_is_a_run_of_column_names() -> None:
    end, cells, _ = runon.header_at("序号工作任务责任单位完成时限1…", 0)
    assert cells == ["序号", "工作任务", "责任单位", "完成时限"] and end == 14
    assert runon.header_at("序号后面是一段普通文字,没有表头", 0) is None


def test_a_run_of_names_splits_at_the_shortest_name() -> None:
    text = "区委宣传部县教育局五星街道高新园(某镇)推进"
    units, end = runon.org_run(text, 0)
    assert [text[a:b] for a, b in units] == ["区委宣传部", "县教育局", "五星街道", "高新园(某镇)"]
    assert text[end:] == "推进"


def test_a_name_the_lexicon_knows_decides_where_the_leader_ends() -> None:
    name, units, _ = runon.leader_and_units("周海平教育局", 0, True)
    assert name == (0, 3) and units == [(3, 6)]
    name, units, _ = runon.leader_and_units("张菁民政局", 0, True)
    assert name == (0, 2) and units == [(2, 5)]


def test_zones_streets_and_towns_are_bodies_in_a_unit_list() -> None:
    assert orgnames.is_name("经开区") and orgnames.is_name("荷花街道") and orgnames.is_name("邹家镇")
    assert not orgnames.is_name("城镇") and not orgnames.is_name("全区城镇")


def test_ordinary_numbered_text_is_no_run_together_table() -> None:
    text = "序号1为第一项。\n一、总体要求\n1.加快建设。(责任单位:县教育局)\n"
    assert runon.tables(text) == []
