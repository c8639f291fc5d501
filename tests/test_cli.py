"""One consistent command line (issue 15): the same options, output formats and messages in
every command, run against a real store built from seeds/."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.cli.tables import DRAW_AT_MOST, competition_ranks

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SCANNED = ROOT / "tests" / "data" / "formats" / "scanned.pdf"
HEAVY = ("kg.pipeline", "kg.extract", "kg.store", "kg.query", "kg.rdf", "kg.viz", "kg.analytics",
         "networkx", "pyvis", "cn2an", "neo4j", "rdflib", "pyoxigraph", "pyshacl", "rich")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "store"
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--store", str(path)])
    assert result.exit_code == 0, result.output
    return path


def kg(*args: str | Path) -> click.testing.Result:
    # a wide terminal: rich would wrap the tables' cells at 80 columns
    return CliRunner(env={"COLUMNS": "400"}).invoke(main, [str(a) for a in args])


# --- 5. kg --help loads nothing heavy --------------------------------------------------------

def test_importing_the_cli_loads_no_pipeline_store_or_graph_library() -> None:
    code = ("import sys, kg.cli; "
            f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules or "
            "any(k.startswith(m + '.') for k in sys.modules)))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.split() == []


def test_the_neo4j_default_uri_is_the_store_modules() -> None:
    from kg.cli.neo4j import DEFAULT_URI
    from kg.store.neo4j import DEFAULT_URI as STORE_DEFAULT

    assert DEFAULT_URI == STORE_DEFAULT


# --- 1. one --store, one --format/--nl -------------------------------------------------------

def _option(command: click.Command, name: str) -> click.Option | None:
    return next((p for p in command.params if isinstance(p, click.Option) and name in p.opts), None)


def test_every_store_option_is_the_same_option() -> None:
    with_store = {name: _option(cmd, "--store") for name, cmd in main.commands.items()}
    with_store = {n: o for n, o in with_store.items() if o is not None}
    assert set(with_store) >= {"build", "remove", "stats", "sparql", "validate", "export", "query",
                               "analyze", "viz", "push"}
    shapes = {(o.help, o.envvar, str(o.default), o.show_envvar) for o in with_store.values()}
    assert len(shapes) == 1, shapes


def test_json_is_offered_with_nl_everywhere_and_as_format_json() -> None:
    for name, cmd in main.commands.items():
        fmt = _option(cmd, "--format")
        if fmt is not None and "json" in getattr(fmt.type, "choices", ()):
            assert _option(cmd, "--nl") is not None, name
    assert _option(main.commands["extract"], "--nl") is not None
    stats_json = _option(main.commands["stats"], "--json")
    assert stats_json is not None and stats_json.hidden  # the deprecated alias only


def test_json_output_is_indented_alike_and_nl_is_one_object_per_line(store: Path) -> None:
    outputs = {
        "stats": kg("stats", "--store", store, "--format", "json"),
        "sparql": kg("sparql", "SELECT ?d WHERE { ?d a pkg:PolicyDocument }", "--store", store,
                     "--format", "json"),
        "query": kg("query", "documents", "--store", store, "--format", "json"),
        "queries": kg("queries", "--format", "json"),
        "explain": kg("explain", SEEDS / "001_d379218f4a7fcaf3.txt", "--format", "json"),
        "extract": kg("extract", SEEDS / "001_d379218f4a7fcaf3.txt"),
    }
    for name, result in outputs.items():
        assert result.exit_code == 0, (name, result.output)
        json.loads(result.stdout)
        second = result.stdout.splitlines()[1]
        assert second.startswith("  ") and not second.startswith("   "), (name, second)
    lines = kg("query", "documents", "--store", store, "--nl").stdout.splitlines()
    assert len(lines) == 5 and all(isinstance(json.loads(line), dict) for line in lines)
    assert len(kg("stats", "--store", store, "--nl").stdout.splitlines()) == 1
    bad = kg("query", "documents", "--store", store, "--format", "csv", "--nl")
    assert bad.exit_code == 2 and "--nl" in bad.output


def test_stats_json_is_a_deprecated_alias(store: Path) -> None:
    old, new = kg("stats", "--store", store, "--json"), kg("stats", "--store", store, "--format", "json")
    assert old.exit_code == 0 and json.loads(old.stdout) == json.loads(new.stdout)
    assert "deprecated" in old.stderr and "--json" not in kg("stats", "--help").stdout


def test_extract_prints_an_array_however_many_files() -> None:
    one = kg("extract", SEEDS / "001_d379218f4a7fcaf3.txt")
    two = kg("extract", SEEDS / "001_d379218f4a7fcaf3.txt", SEEDS / "002_2bfc97517521ba1c.txt")
    assert isinstance(json.loads(one.stdout), list) and len(json.loads(one.stdout)) == 1
    assert len(json.loads(two.stdout)) == 2
    lines = kg("extract", SEEDS / "001_d379218f4a7fcaf3.txt", SEEDS / "002_2bfc97517521ba1c.txt",
               "--nl").stdout.splitlines()
    assert [json.loads(line)["doc"] for line in lines] == ["001_d379218f4a7fcaf3.txt",
                                                           "002_2bfc97517521ba1c.txt"]


# --- 2. build warnings -----------------------------------------------------------------------

def test_build_names_the_warning_kinds_and_verbose_lists_each(tmp_path: Path) -> None:
    quiet = kg("build", SEEDS, "--store", tmp_path / "s")
    assert "7 warnings (6 garbled text, 1 stray markup)" in quiet.stdout
    assert "kg build -v" in quiet.stderr and "garbled text '" not in quiet.stderr
    loud = kg("build", SEEDS, "--store", tmp_path / "s", "-v")
    listed = [line for line in loud.stderr.splitlines() if line.startswith(f"{SEEDS}/000_")]
    assert len(listed) == 7
    assert f"{SEEDS / '000_ae36dece8040c579.txt'}: markup: stray markup" in loud.stderr


def test_build_of_a_missing_input_creates_no_store(tmp_path: Path) -> None:
    result = kg("build", tmp_path / "nofile", "--store", tmp_path / "store")
    assert result.exit_code == 1 and "the store was not touched" in result.stderr
    assert not (tmp_path / "store").exists()


def test_counts_say_what_they_count(store: Path, tmp_path: Path) -> None:
    built = kg("build", SEEDS / "001_d379218f4a7fcaf3.txt", "--store", tmp_path / "s")
    assert "triples written to" in built.stdout and "(document graphs)" in built.stdout
    counts = json.loads(kg("stats", "--store", store, "--format", "json").stdout)
    assert counts["triples"] == counts["document_triples"] + counts["ontology_triples"]
    table = kg("stats", "--store", store).stdout
    assert "triples, all graphs (ontology included)" in table and "triples in document graphs" in table
    assert "distinct triples (document graphs and ontology merged)" in kg("validate", "--store", store).stdout
    exported = kg("export", "--store", store, "--format", "graphml", "--out", tmp_path / "g.graphml")
    assert "nodes (organizations, groups, measures, people)" in exported.stdout
    assert "documents and indicators included" in kg("analyze", "--store", store).stdout


# --- 3. one name, several units; no such unit ------------------------------------------------

def test_an_ambiguous_alias_is_said_and_jurisdiction_chooses(store: Path, tmp_path: Path) -> None:
    both = kg("query", "unit-measures", "--param", "unit=区教委", "--store", store, "--format", "json")
    assert both.exit_code == 0
    assert {r["jurisdiction"] for r in json.loads(both.stdout)} == {"重庆市黔江区", "重庆市长寿区"}
    for result in (both, kg("viz", "--unit", "区教委", "--store", store, "--out", tmp_path / "a.html")):
        assert ("matches 2 units: 长寿区教育委员会 (重庆市长寿区), 黔江区教育委员会 (重庆市黔江区)"
                in result.stderr)
        assert "--jurisdiction" in result.stderr
    one = kg("query", "unit-measures", "--param", "unit=区教委", "--jurisdiction", "黔江", "--store", store,
             "--format", "json")
    assert {r["unit"] for r in json.loads(one.stdout)} == {"黔江区教育委员会"} and "matches" not in one.stderr
    drawn = kg("viz", "--unit", "区教委", "--jurisdiction", "黔江", "--store", store,
               "--out", tmp_path / "b.html")
    assert drawn.exit_code == 0 and "matches" not in drawn.stderr
    assert "长寿区教育委员会" not in (tmp_path / "b.html").read_text(encoding="utf-8")
    assert "长寿区教育委员会" in (tmp_path / "a.html").read_text(encoding="utf-8")
    nowhere = kg("query", "unit-measures", "--param", "unit=区教委", "--jurisdiction", "北京",
                 "--store", store)
    assert nowhere.exit_code == 1 and "candidates: 长寿区教育委员会 (重庆市长寿区)" in nowhere.stderr


def test_an_unknown_unit_is_the_same_error_in_query_and_viz(store: Path, tmp_path: Path) -> None:
    query = kg("query", "unit-measures", "--param", "unit=区教育局", "--store", store)
    viz = kg("viz", "--unit", "区教育局", "--store", store, "--out", tmp_path / "x.html")
    assert query.exit_code == viz.exit_code == 1
    assert query.stderr == viz.stderr
    assert len(query.stderr.splitlines()) == 1 and "no unit named '区教育局'" in query.stderr
    assert not (tmp_path / "x.html").exists()


def test_a_unit_without_partners_is_no_unknown_unit(store: Path) -> None:
    alone = kg("query", "unit-partners", "--param", "unit=公安部门", "--store", store, "--format", "json")
    assert alone.exit_code == 0 and json.loads(alone.stdout) == [], alone.output
    unknown = kg("query", "unit-partners", "--param", "unit=区教育局", "--store", store)
    assert unknown.exit_code == 1 and "no unit named '区教育局'" in unknown.stderr


# --- 4. ties, cut lists ----------------------------------------------------------------------

def test_competition_ranks_mark_ties() -> None:
    assert competition_ranks([5, 5, 3, 2, 2]) == ["=1", "=1", "3", "=4", "=4"]
    assert competition_ranks([18, 6, 6, 1]) == ["1", "=2", "=2", "4"]


def test_a_tie_at_the_top_of_a_ranking_is_marked(store: Path) -> None:
    table = kg("query", "school-construction-units", "--store", store).stdout
    assert "=1" in table and "tie at the top (total 4):" in table
    rows = json.loads(kg("query", "school-construction-units", "--store", store, "--format", "json").stdout)
    assert [r["total"] for r in rows[:2]] == [4, 4]  # what the mark stands for
    assert "rank" not in rows[0]  # the table's column only
    workload = kg("query", "unit-workload", "--store", store).stdout
    assert "tie at the top" not in workload  # one unit leads alone


def test_analyze_says_how_many_members_are_not_listed(store: Path) -> None:
    report = json.loads(kg("analyze", "--store", store, "--top", "2", "--format", "json").stdout)
    cut = [c for c in report["co_responsibility"]["communities"] if c["size"] > 2]
    assert cut
    table = kg("analyze", "--store", store, "--top", "2").stdout
    assert f"(+{cut[0]['size'] - 2} more; --top to list more)" in table


# --- 6. big answers stream -------------------------------------------------------------------

def test_more_rows_than_a_screenful_print_as_plain_lines(store: Path) -> None:
    q = f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} LIMIT {DRAW_AT_MOST + 1}"
    result = kg("sparql", q, "--store", store)
    lines = result.stdout.splitlines()
    assert lines[0] == "s\tp\to" and len(lines) == DRAW_AT_MOST + 2
    assert all(line.count("\t") == 2 for line in lines) and "┃" not in result.stdout
    assert "tab-separated" in result.stderr
    small = kg("sparql", "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3", "--store", store).stdout
    assert "┃" in small or "│" in small


# --- 8. --no-ocr -----------------------------------------------------------------------------

@pytest.mark.parametrize("workers", ["1", "2"])
def test_no_ocr_reaches_the_reader(tmp_path: Path, workers: str) -> None:
    extract = kg("extract", SCANNED, "--no-ocr")
    assert extract.exit_code == 1 and "no text in the file (OCR is off)" in extract.stderr
    build = kg("build", SCANNED, SEEDS / "001_d379218f4a7fcaf3.txt", "--no-ocr", "--workers", workers,
               "--store", tmp_path / "s")
    assert build.exit_code == 1 and "(OCR is off)" in build.stderr
    assert "1 read, 0 skipped, 1 failed" in build.stdout


# --- 9. the README's CLI reference and examples ----------------------------------------------

def test_the_readme_cli_reference_is_what_help_prints() -> None:
    from kg.cli import reference

    section = reference.current(reference.README.read_text(encoding="utf-8"))
    assert section is not None, "README.md lacks the CLI reference markers"
    assert section == reference.render(), "README.md's CLI reference is stale: run scripts/cli-reference"
    for name in main.commands:
        assert f"### kg {name}\n" in section


def test_the_readme_examples_parse_with_todays_options() -> None:
    import re
    import shlex

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    examples = [line.split(" #")[0] for block in re.findall(r"```bash\n(.*?)```", readme, re.S)
                for line in block.splitlines()]
    commands = [shlex.split(e.split("&&")[-1]) for e in examples if re.search(r"(^|&& )kg ", e.strip())]
    assert len(commands) > 15
    for args in commands:
        name, rest = args[1], args[2:]
        assert name in main.commands, args
        # parsing only: an unknown or renamed option fails here, nothing runs
        with click.Context(main) as parent:
            main.commands[name].make_context(name, rest, parent=parent)
