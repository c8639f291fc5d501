"""The benchmark corpus: real documents from ../shared/corpus plus the seeds, unpacked to a
temporary folder, and replicated to N documents with jurisdiction names varied so that
organizations of different copies never collapse into one. Nothing here is committed."""

from __future__ import annotations

import random
import tarfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SUFFIXES = {".txt", ".md", ".html", ".htm"}

# Districts the seeds and corpora name; a copy swaps them for another real county.
_PLACES = ["黔江区", "长寿区", "开州区", "武清区", "历下区", "市中区", "槐荫区", "天桥区", "历城区",
           "长清区", "章丘区", "市南区", "市北区", "黄岛区", "崂山区", "李沧区", "城阳区"]


def _counties() -> list[str]:
    from kg.gazetteer import places

    return sorted(p.name for p in places().values() if p.level == 3 and len(p.name) >= 3)


def unpack(work: Path) -> list[Path]:
    """Every document of the shared corpora and the seeds, unpacked under `work`."""
    out = work / "corpus"
    if not out.exists():
        out.mkdir(parents=True)
        for archive in sorted((SHARED / "corpus").glob("*.tar.gz")):
            with tarfile.open(archive) as tar:
                tar.extractall(out, filter="data")
    files = sorted(p for p in out.rglob("*") if p.suffix.lower() in SUFFIXES)
    files += sorted((ROOT / "seeds").glob("*.txt"))
    return files


def replicate(files: list[Path], n: int, work: Path) -> Path:
    """A folder of exactly n documents: the corpus in a fixed shuffled order, then copies whose
    district names are rotated so each copy speaks for another jurisdiction.

    Shuffled because the sorted corpus starts with 3,500 statutes: a 1k prefix would hold no
    action plans, no units and no school projects, and the queries would have nothing to do."""
    target = work / f"mix-{n}"
    if target.exists() and sum(1 for _ in target.rglob("*.*")) == n:
        return target
    target.mkdir(parents=True, exist_ok=True)
    for i, (src, text) in enumerate(_cycle(files, n)):
        copy = i // len(files)
        if copy:
            text = _vary(text, copy)
        sub = target / f"{i // 1000:04d}"
        sub.mkdir(exist_ok=True)
        (sub / f"{i:06d}{src.suffix}").write_text(text, encoding="utf-8")
    return target


def _cycle(files: list[Path], n: int) -> Iterator[tuple[Path, str]]:
    files = sorted(files)
    random.Random(8).shuffle(files)  # fixed seed: the same n documents on every run
    cache: dict[Path, str] = {}
    for i in range(n):
        src = files[i % len(files)]
        if src not in cache:
            cache[src] = src.read_text(encoding="utf-8", errors="replace")
        yield src, cache[src]


def _vary(text: str, copy: int) -> str:
    """Copy k speaks for another real county: its header names that county's government,
    and the districts it mentions become that county."""
    counties = _counties()
    county = counties[(copy * 97) % len(counties)]
    for place in _PLACES:
        text = text.replace(place, county)
    return f"[ 发布机构 ] {county}人民政府\n" + text


def size_bytes(files: list[Path]) -> int:
    return sum(p.stat().st_size for p in files)
