"""A clone without ../shared (the evaluation gold, scorer and corpora, which live outside the
repository) must still be testable: every test that reads them skips, all with one reason that
says what is missing and where it was looked for, and nothing else errors or fails.

Run here as CI runs it: pytest in a subprocess with KG_SHARED pointing at a folder that does
not exist, over (1) the tests marked needs_shared in the whole suite, which also imports every
test module without the shared folder, and (2) the files that mix gold-scored tests with
plain ones, which must all pass.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import ROOT

MISSING = "/nonexistent/kg-shared"
REASON = f"needs ../shared (eval gold and corpora): not found at {MISSING}"
# the files whose gold-scored tests sit next to tests that need nothing outside the repository
MIXED = ["tests/test_parse.py", "tests/test_extract_measures.py", "tests/test_extract_people_groups.py",
         "tests/test_extract_schools.py"]


def _pytest(tmp_path: Path, *args: str) -> list[tuple[str, str, str]]:
    """(test id, outcome, skip or failure message) of each test of a pytest run without shared."""
    report = tmp_path / "report.xml"
    env = {**os.environ, "KG_SHARED": MISSING}
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
                          f"--junitxml={report}", *args], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=900)
    assert report.exists(), run.stdout[-3000:] + run.stderr[-3000:]
    cases = []
    for case in ET.parse(report).getroot().iter("testcase"):
        name = f"{case.get('classname')}::{case.get('name')}"
        outcome, message = "passed", ""
        for child in case:
            if child.tag in ("skipped", "failure", "error"):
                outcome, message = child.tag, child.get("message", "")
        cases.append((name, outcome, message))
    assert run.returncode in (0, 5), run.stdout[-3000:]
    return cases


@pytest.mark.slow
def test_without_shared_every_shared_test_skips_for_one_reason(tmp_path: Path) -> None:
    cases = _pytest(tmp_path, "-m", "needs_shared", "tests")
    # the gold-scored seed tests, the held-out set, the rendered seeds, the corpus build
    assert len(cases) >= 24, cases
    wrong = [c for c in cases if c[1] != "skipped" or c[2] != REASON]
    assert wrong == []


@pytest.mark.slow
def test_without_shared_the_other_tests_pass(tmp_path: Path) -> None:
    cases = _pytest(tmp_path, *MIXED)
    skipped = [c for c in cases if c[1] == "skipped"]
    assert {c[2] for c in skipped} == {REASON}
    assert [c for c in cases if c[1] not in ("passed", "skipped")] == []
    # most of these files need nothing but the repository
    assert len(cases) - len(skipped) >= 50, cases
