"""The layout stage: every line a block of a kind, computed once; `kg explain` shows them
with the facts each produced (made-up documents)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from kg.pipeline import process_text

KG = Path(sys.executable).with_name("kg")

PAGE = "\n".join([
    "首页 > 政务公开 > 通知公告",
    "浏览次数:12 发布时间:2031-03-02",
    "某某县2031年重点工作任务分解",
    "一、优化营商环境",
    "1.推行企业开办一日办结。",
    "牵头单位:县市场监管局",
    "配合单位:县政务服务局、县税务局",
    "附件",
    "序号|重点任务|责任单位|完成时限",
    "1|新建城南幼儿园。|县教体局|2031年底",
    "分享到:微信",
])


def test_every_line_is_a_block_of_its_kind() -> None:
    doc = process_text(PAGE)
    assert doc.layout is not None
    kinds = [b.kind for b in doc.layout.blocks]
    assert kinds[:2] == ["junk", "junk"]
    labelled = [b.kind for b in doc.layout.blocks if b.text.startswith(("牵头单位", "配合单位"))]
    assert labelled == ["field", "field"]
    assert next(b for b in doc.layout.blocks if b.text.startswith("1.")).kind == "item"
    row = next(b for b in doc.layout.blocks if b.kind == "table_row")
    assert ("responsible", "县教体局") in row.cells and ("title", "新建城南幼儿园。") in row.cells
    assert next(b for b in doc.layout.blocks if b.text.startswith("序号")).kind == "table_header"
    fields = {b.label: b.role for b in doc.layout.of_kind("field")}
    assert fields["牵头单位"] == "lead" and fields["配合单位"] == "support"


def test_table_rows_are_read_once_and_the_table_extractor_uses_them() -> None:
    doc = process_text(PAGE)
    assert [r.key for r in doc.layout.rows] == ["1"]
    table_measures = [m for m in doc.measures if m.rule.startswith("measure.table-row")]
    assert [m.title for m in table_measures] == ["新建城南幼儿园"]


def test_kg_explain_shows_blocks_and_the_rule_of_each_fact(tmp_path: Path) -> None:
    f = tmp_path / "plan.txt"
    f.write_text(PAGE, encoding="utf-8")
    run = subprocess.run([str(KG), "explain", str(f), "--format", "json"], capture_output=True, text=True,
                         check=True)
    blocks = json.loads(run.stdout)["blocks"]
    lead = next(b for b in blocks if b["text"].startswith("牵头单位"))
    assert lead["kind"] == "field"
    assert [(f["type"], f["rule"]) for f in lead["facts"]] == [("unit", "unit.field")]
    plain = subprocess.run([str(KG), "explain", str(f)], capture_output=True, text=True, check=True).stdout
    assert "measure.table-row.pipe" in plain and "table_row" in plain
    missing = subprocess.run([str(KG), "explain", str(tmp_path / "nope.txt")], capture_output=True, text=True)
    assert missing.returncode == 1 and "nope.txt" in missing.stderr and "Traceback" not in missing.stderr


def test_the_rule_id_is_in_the_json_record_and_the_rdf() -> None:
    from kg.rdf import document_quads

    doc = process_text(PAGE, name="plan.txt")
    record = doc.to_json()
    assert {m["rule"] for m in record["measures"]} == {"measure.task-section", "measure.table-row.pipe"} or \
        all(m["rule"] for m in record["measures"])
    assert all(u["rule"] for m in record["measures"] for u in m["units"])
    rules = {q.object.value for q in document_quads(doc) if q.predicate.value.endswith("#rule")
             or q.predicate.value.endswith("/rule")}
    assert "unit.field" in rules and "measure.table-row.pipe" in rules


def test_a_typo_in_a_loaders_file_is_one_error_naming_file_and_key(tmp_path: Path) -> None:
    import os
    import shutil

    from kg import rules

    own = tmp_path / "loaders"
    own.mkdir()
    src = rules.data_path("loaders", "measures.toml").read_text(encoding="utf-8")
    (own / "measures.toml").write_text(src.replace("task_endings =", "task_ending ="), encoding="utf-8")
    (tmp_path / "plan.txt").write_text(PAGE, encoding="utf-8")
    env = {**os.environ, "KG_LOADERS": str(own)}
    cmd = [str(KG), "extract", str(tmp_path / "plan.txt")]
    run = subprocess.run(cmd, capture_output=True, text=True, env=env)
    assert run.returncode == 2, run.stderr
    assert run.stderr.strip().splitlines() == [f"error: {own / 'measures.toml'}: lacks 'task_endings'"]
    (own / "measures.toml").write_text(src.replace('[layout]', '[layout]\nreview_lead_in = ["x"]'), "utf-8")
    run = subprocess.run(cmd, capture_output=True, text=True, env=env)
    assert run.returncode == 2 and "unknown key 'layout.review_lead_in'" in run.stderr
    (own / "measures.toml").write_text("task_headings = [", "utf-8")
    run = subprocess.run(cmd, capture_output=True, text=True, env=env)
    assert run.returncode == 2 and "not valid TOML" in run.stderr and "Traceback" not in run.stderr
    shutil.rmtree(own)
