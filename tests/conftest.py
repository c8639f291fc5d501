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

_cache: dict[str, Document] = {}


def seed_path(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}*.txt"))


def seed_doc(prefix: str) -> Document:
    """A processed seed, cached for the session (processing is deterministic)."""
    if prefix not in _cache:
        _cache[prefix] = process_file(seed_path(prefix))
    return _cache[prefix]


def gold(prefix: str) -> dict:
    path = next(GOLD.glob(f"{prefix}*.json"), None)
    if path is None:
        pytest.skip(f"gold annotations not found under {GOLD}")
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
