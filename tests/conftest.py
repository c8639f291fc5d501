"""Shared fixtures: the seed corpus, its gold annotations, processed seed documents."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kg.model import Document
from kg.pipeline import process_file

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = Path(os.environ.get("KG_SHARED", ROOT.parent / "shared"))
GOLD = SHARED / "eval" / "gold"
CORPUS = SHARED / "corpus"
# A clone without the shared evaluation folder still runs everything else: the tests marked
# needs_shared skip, all with this one reason. A shared folder that exists but lacks a file
# is a broken checkout, and those tests fail on it instead of hiding it.
SHARED_REASON = f"needs ../shared (eval gold and corpora): not found at {SHARED}"

_cache: dict[str, Document] = {}


def seed_path(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}*.txt"))


def seed_doc(prefix: str) -> Document:
    """A processed seed, cached for the session (processing is deterministic)."""
    if prefix not in _cache:
        _cache[prefix] = process_file(seed_path(prefix))
    return _cache[prefix]


def shared_present() -> bool:
    return SHARED.is_dir()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if shared_present():
        return
    skip = pytest.mark.skip(reason=SHARED_REASON)
    for item in items:
        if item.get_closest_marker("needs_shared"):
            item.add_marker(skip)


def gold(prefix: str) -> dict:
    """A seed's gold annotations from ../shared (mark the test needs_shared)."""
    if not shared_present():  # a test that forgot the marker still skips for the same reason
        pytest.skip(SHARED_REASON)
    path = next(GOLD.glob(f"{prefix}*.json"), None)
    if path is None:
        pytest.fail(f"gold annotations for {prefix} missing under {GOLD}")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_docs() -> dict[str, Document]:
    return {p.name[:3]: seed_doc(p.name[:3]) for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture
def unprivileged(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], Path]:
    """A command prefix that runs a process as a user without root's blanket read access,
    and a folder that user can reach; for permission-denied cases, which root never sees.
    Without root the prefix is empty: the test process itself is such a user."""
    import shutil
    import tempfile

    if os.geteuid() != 0:
        return [], tmp_path_factory.mktemp("unprivileged")
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.fail("running as root without setpriv (util-linux): cannot test unreadable files")
    # pytest's own temp root is 0700 root: the other user could not reach into it
    folder = Path(tempfile.mkdtemp(prefix="kg-unprivileged-"))
    folder.chmod(0o777)
    return [setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"], folder
