"""Administrative divisions (GB/T 2260 codes) from the cpca package's gazetteer, for
turning an area code or a place mention into a jurisdiction name."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Place:
    code: str  # six digits
    name: str

    @property
    def level(self) -> int:
        if self.code.endswith("0000"):
            return 1
        return 2 if self.code.endswith("00") else 3


@lru_cache(maxsize=1)
def places() -> dict[str, Place]:
    data = resources.files("cpca").joinpath("resources/adcodes.csv").read_text(encoding="utf-8")
    out: dict[str, Place] = {}
    for row in csv.DictReader(data.splitlines()):
        code = row["adcode"][:6]
        out.setdefault(code, Place(code, row["name"]))
    return out


@lru_cache(maxsize=1)
def counties_by_name() -> dict[str, list[Place]]:
    by: dict[str, list[Place]] = {}
    for p in places().values():
        if p.level == 3 or (p.level == 2 and p.name.endswith(("市", "区")) and p.name != "市辖区"):
            by.setdefault(p.name, []).append(p)
    return by


def full_name(p: Place) -> str:
    """重庆市黔江区, 天津市武清区, 山东省济南市历下区."""
    parts = []
    prov = places().get(p.code[:2] + "0000")
    if prov:
        parts.append(prov.name)
    if p.level == 3:
        city = places().get(p.code[:4] + "00")
        if city and city.name not in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            parts.append(city.name)
    if p.level >= 2 and (not parts or parts[-1] != p.name):
        parts.append(p.name)
    return "".join(parts)


_COUNTY = re.compile(r"[\u4e00-\u9fff]{1,6}?(?:自治县|自治旗|新区|区|县|市|旗)")


def find_jurisdiction(area_code: str | None, texts: list[str]) -> str | None:
    """The most specific division the document supports: a county named in its texts
    (weighted by position: title first) that agrees with the area code's province, else
    the area code's own division."""
    coded = places().get(area_code) if area_code else None
    province = area_code[:2] if area_code else None
    scores: dict[str, float] = {}
    chosen: dict[str, Place] = {}
    for weight, text in zip((5.0, 1.0, 1.0, 1.0), texts, strict=False):
        for m in _COUNTY.finditer(text):
            name = m.group(0)
            for i in range(len(name) - 2, -1, -1):  # 重庆市黔江区 -> try 黔江区 first
                cands = counties_by_name().get(name[i:])
                if not cands:
                    continue
                cand = _pick(cands, province, text)
                if cand:
                    scores[cand.code] = scores.get(cand.code, 0) + weight
                    chosen[cand.code] = cand
                break
    if scores:
        best = max(scores, key=lambda c: (scores[c], chosen[c].level))
        return full_name(chosen[best])
    if coded:
        return full_name(coded)
    if area_code:
        for code in (area_code[:4] + "00", area_code[:2] + "0000"):
            if code in places():
                return full_name(places()[code])
    return None


def _pick(cands: list[Place], province: str | None, context: str) -> Place | None:
    if province:
        same = [c for c in cands if c.code.startswith(province)]
        return same[0] if same else None
    if len(cands) == 1:
        return cands[0]
    for c in cands:
        prov = places().get(c.code[:2] + "0000")
        if prov and prov.name.rstrip("省市") in context:
            return c
    return None
