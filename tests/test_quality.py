"""Extraction quality, measured the way it is judged: `kg extract` writes the records and
the shared scorer (../shared/eval/score.py) compares them with gold annotations.

- the five seeds against their gold (../shared/eval/gold);
- a held-out set the rules were not written on (tests/data/heldout): nine real Shandong
  plans from the corpus archive, annotated by hand (the last three blind: scored once before
  any rule saw them), three of them also as Big5 HTML pages in traditional characters with
  web junk (made here from the corpus text), and six documents written for the formats the
  seeds lack (HTML task tables with merged cells, cell-per-line tables, indicator tables,
  rosters, GBK pages with pinyin annotations).

The floors are regression guards, below what the rules reach today (README, "Extraction
quality"), so a change that loses ground on unseen documents fails here.
"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import opencc
import pytest

from tests.conftest import CORPUS, GOLD, ROOT, SEEDS, SHARED

# every test here scores against ../shared's gold or unpacks its corpus
pytestmark = pytest.mark.needs_shared

KG = Path(sys.executable).with_name("kg")
SCORER = SHARED / "eval" / "score.py"
HELDOUT = ROOT / "tests" / "data" / "heldout"
FACETS = ("measures", "unit_pairs", "lead_pairs", "people", "person_posts", "groups", "group_leaders",
          "indicators", "indicators_strict", "school_construction")


def score(gold: Path, records: Path) -> dict:
    if not SCORER.exists():
        pytest.fail(f"the scorer is missing: {SCORER}")
    run = subprocess.run([sys.executable, str(SCORER), str(gold), str(records), "--json"],
                         capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


def extract(inputs: Path, out: Path) -> None:
    run = subprocess.run([str(KG), "extract", str(inputs), "--out", str(out)], capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 0, run.stderr


def f1(result: dict) -> dict[str, float]:
    out = {f: round(result["overall"][f][2], 3) for f in FACETS}
    out["meta_exact"] = round(result["overall"]["meta_exact"], 3)
    return out


def test_seeds_score_at_least_090_on_every_facet(tmp_path: Path) -> None:
    if not GOLD.exists():
        pytest.fail(f"gold annotations are missing: {GOLD}")
    extract(SEEDS, tmp_path / "records")
    scores = f1(score(GOLD, tmp_path / "records"))
    assert min(scores.values()) >= 0.9, scores


def _corpus_plans(names: list[str], into: Path) -> None:
    archive = CORPUS / "shandong-policies.tar.gz"
    if not archive.exists():
        pytest.fail(f"corpus archive missing: {archive}")
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            if Path(member.name).stem in names:
                member.name = Path(member.name).name
                tar.extract(member, into, filter="data")


def _as_big5_page(text: str) -> bytes:
    """A mirror site's copy: traditional characters, Big5, navigation and footer junk."""
    body = "".join(f"<p>{html.escape(line.strip())}</p>\n" for line in text.splitlines() if line.strip())
    page = ("<html><head><meta charset='big5'><title>政務公開</title><script>var _hmt=[];</script></head>"
            "<body><div class='nav'>首頁 &gt; 政務公開 &gt; 政策文件</div>"
            "<div class='share'>分享到:微信 微博</div>"
            # s2tw: Taiwan's standard forms, which Big5 encodes (s2t's 羣 it cannot)
            f"<div class='content'>{opencc.OpenCC('s2tw').convert(body)}</div>"
            "<div class='footer'>版權所有:某某市人民政府辦公室 網站標識碼:3701000001</div></body></html>")
    return page.encode("big5", errors="replace")


@pytest.fixture(scope="module")
def heldout(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(documents, gold) of the held-out set, laid out for `kg extract` and the scorer."""
    root = tmp_path_factory.mktemp("heldout")
    docs, gold = root / "docs", root / "gold"
    shutil.copytree(HELDOUT / "docs", docs)
    shutil.copytree(HELDOUT / "gold", gold)
    plans = sorted(p.stem for p in gold.glob("shandong_*.json"))
    _corpus_plans(plans, docs)
    for stem in ("shandong_016", "shandong_027", "shandong_055"):
        (docs / f"{stem}_big5.html").write_bytes(_as_big5_page((docs / f"{stem}.txt").read_text("utf-8")))
        record = json.loads((gold / f"{stem}.json").read_text("utf-8"))
        (gold / f"{stem}_big5.json").write_text(json.dumps(dict(record, doc=f"{stem}_big5.html"),
                                                           ensure_ascii=False), "utf-8")
    assert sorted(p.stem for p in docs.iterdir()) == sorted(p.stem for p in gold.iterdir())
    return docs, gold


# What the rules reach on the held-out set today, less a margin (README has the figures).
HELDOUT_FLOOR = {
    "measures": 0.9, "unit_pairs": 0.88, "lead_pairs": 0.85, "people": 0.9, "person_posts": 0.9,
    "groups": 0.9, "group_leaders": 0.9, "indicators": 0.9, "indicators_strict": 0.85,
    "school_construction": 0.8, "meta_exact": 0.9,
}


def test_heldout_documents_stay_above_their_floors(heldout: tuple[Path, Path], tmp_path: Path) -> None:
    docs, gold = heldout
    extract(docs, tmp_path / "records")
    scores = f1(score(gold, tmp_path / "records"))
    low = {f: (s, HELDOUT_FLOOR[f]) for f, s in scores.items() if s < HELDOUT_FLOOR[f]}
    assert not low, f"below the floor: {low}; all: {scores}"


def test_the_big5_pages_read_like_their_plain_text(heldout: tuple[Path, Path], tmp_path: Path) -> None:
    """The same plan as UTF-8 text and as a traditional-character Big5 page with junk: the
    same measures and units come out."""
    docs, _ = heldout
    extract(docs, tmp_path / "records")
    for stem in ("shandong_016", "shandong_027", "shandong_055"):
        plain = json.loads((tmp_path / "records" / f"{stem}.json").read_text("utf-8"))
        page = json.loads((tmp_path / "records" / f"{stem}_big5.json").read_text("utf-8"))
        assert [m["title"] for m in page["measures"]] == [m["title"] for m in plain["measures"]]
        assert [sorted(u["name"] for u in m["units"]) for m in page["measures"]] == \
               [sorted(u["name"] for u in m["units"]) for m in plain["measures"]]


# The shared development set (27 real pages in the forms of issue 14) and the fresh sets
# (tests/data/fresh, fresh2: real pages whose gold was written before any run): floors below
# today's scores (README), so ground lost on these forms fails here.
DEV = SHARED / "eval" / "dev"
FRESH = ROOT / "tests" / "data" / "fresh"
FRESH2 = ROOT / "tests" / "data" / "fresh2"
FRESH3 = ROOT / "tests" / "data" / "fresh3"
DEV_FLOOR = {f: 0.9 for f in FACETS} | {"meta_exact": 0.9}
FRESH_FLOOR = {
    "measures": 0.95, "unit_pairs": 0.9, "lead_pairs": 0.95, "people": 0.9, "person_posts": 0.9,
    "groups": 0.85, "group_leaders": 0.9, "indicators": 0.8, "indicators_strict": 0.55,
    "school_construction": 0.6, "meta_exact": 0.7,
}
# tests/data/fresh2: 23 more real pages (session 22), first scored blind (INDEX.md)
FRESH2_FLOOR = {
    "measures": 0.95, "unit_pairs": 0.9, "lead_pairs": 0.95, "people": 0.93, "person_posts": 0.93,
    "groups": 0.85, "group_leaders": 0.9, "indicators": 0.85, "indicators_strict": 0.4,
    "school_construction": 0.9, "meta_exact": 0.75,
}
# tests/data/fresh3: 23 more, collected after the fresh2 work (INDEX.md has its first score)
FRESH3_FLOOR = {
    "measures": 0.7, "unit_pairs": 0.5, "lead_pairs": 0.6, "people": 0.9, "person_posts": 0.88,
    "groups": 0.6, "group_leaders": 0.9, "indicators": 0.8, "indicators_strict": 0.33,
    "school_construction": 0.6, "meta_exact": 0.7,
}


@pytest.mark.parametrize(("texts", "gold", "floor"), [
    (DEV / "texts", DEV / "gold", DEV_FLOOR),
    (FRESH / "docs", FRESH / "gold", FRESH_FLOOR),
    (FRESH2 / "docs", FRESH2 / "gold", FRESH2_FLOOR),
    (FRESH3 / "docs", FRESH3 / "gold", FRESH3_FLOOR),
], ids=["dev", "fresh", "fresh2", "fresh3"])
def test_real_pages_in_many_forms_stay_above_their_floors(texts: Path, gold: Path, floor: dict[str, float],
                                                          tmp_path: Path) -> None:
    extract(texts, tmp_path / "records")
    scores = f1(score(gold, tmp_path / "records"))
    low = {f: (s, floor[f]) for f, s in scores.items() if s < floor[f]}
    assert not low, f"below the floor: {low}; all: {scores}"
