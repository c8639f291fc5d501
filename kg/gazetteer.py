"""Administrative divisions (GB/T 2260 codes) from the cpca package's gazetteer, for
turning an area code or a place mention into a jurisdiction name."""

from __future__ import annotations

import csv
import importlib.util
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.rules import data_path


@dataclass(frozen=True)
class Place:
    code: str  # six digits
    name: str

    @property
    def level(self) -> int:
        if self.code.endswith("0000"):
            return 1
        return 2 if self.code.endswith("00") else 3


# the packaged copy (kg/_data): a path walked up from this file exists in a checkout only
SUPPLEMENT_PATH = data_path("loaders", "places.toml")


def _cpca_file(name: str) -> Path:
    """A data file of the cpca package, found without importing it: its import loads
    address tables of its own (a quarter of a second) that kg never uses."""
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("the cpca package (kg's gazetteer data) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / name


@lru_cache(maxsize=1)
def places() -> dict[str, Place]:
    data = _cpca_file("resources/adcodes.csv").read_text(encoding="utf-8")
    out: dict[str, Place] = {}
    for row in csv.DictReader(data.splitlines()):
        code = row["adcode"][:6]
        out.setdefault(code, Place(code, row["name"]))
    _add_newer_divisions(out)
    return out


def _add_newer_divisions(out: dict[str, Place]) -> None:
    """The divisions of loaders/places.toml, each under its city with a code of that city's
    that is free (counted down from xx99), so levels and parents work as for the others.
    The file ships with the package: its absence is an error, not a gazetteer quietly short
    of the newer divisions."""
    added = tomllib.loads(SUPPLEMENT_PATH.read_text(encoding="utf-8")).get("added", [])
    by_name: dict[str, list[Place]] = {}
    for p in out.values():
        by_name.setdefault(p.name, []).append(p)
    for parent_name, name in added:
        if name in by_name:
            continue  # the data has it already
        parents = [p for p in by_name.get(parent_name, []) if p.level < 3]
        if len(parents) != 1:
            raise ValueError(f"{SUPPLEMENT_PATH.name}: added: no single division named {parent_name!r}")
        parent = parents[0]
        prefix = parent.code[:2] + "01" if parent.level == 1 else parent.code[:4]
        code = next((c for c in (f"{prefix}{n:02d}" for n in range(99, 70, -1)) if c not in out), None)
        if code is None:
            raise ValueError(f"{SUPPLEMENT_PATH.name}: no free code under {parent_name}")
        out[code] = Place(code, name)
        by_name.setdefault(name, []).append(out[code])


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


_FUNCTION_CHARS = set("在和与及对到于至是为由向从将把给经省市县区的了各全我")
# an organisation's name can put these before its place (中共普洱市委, 政协大兴安岭地区工作委员会)
_ORG_PREFIXES = ("中共", "政协", "共青团")
_LEVEL_CUES = {
    1: re.compile(r"我省|全省|省政府|省委|省级|本省"),
    # a prefecture speaks as 州 or 盟 too (全州各级, 州委, 盟行署); 全州县 is a county's name
    2: re.compile(r"我市|全市|市政府|市委|市级|本市|我州|全州(?!县)|州政府|州委|州级|本州|全盟|盟委|盟行署"),
    3: re.compile(r"我区|全区|区政府|区委|区级|本区|我县|全县|县政府|县委|县级|本县|区教委|区教育局"
                  r"|我旗|全旗|旗政府|旗委"),
}


_ENDINGS = re.compile(r"[省市区县旗州盟]")
_MUNICIPALITIES = {"11", "12", "31", "50"}  # 北京, 天津, 上海, 重庆: no 省 above their districts
_PROVINCE_SPEECH = re.compile(r"(?:全省|我省|本省|省级|省委|省政府|省教育厅|省定)")


@lru_cache(maxsize=1)
def _name_index() -> tuple[re.Pattern[str], dict[str, list[Place]]]:
    """Every division by full name, and a regex over the short names of provinces and
    cities (山东, 济南), which carry no suffix to anchor on. Autonomous prefectures and
    counties are also indexed by the short form documents write (楚雄彝族自治州 -> 楚雄州,
    长阳土家族自治县 -> 长阳县); see `_ALIASES`."""
    index: dict[str, list[Place]] = {}
    shorts: set[str] = set()
    for p in places().values():
        if p.name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            continue
        index.setdefault(p.name, []).append(p)
        if p.level < 3:
            short = re.sub(r"(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)$", "", p.name)
            if len(short) >= 2 and short != p.name:
                index.setdefault(short, []).append(p)
                shorts.add(short)
    official = set(index)
    for p in places().values():
        for alias in _autonomous_short_forms(p.name):
            if alias not in official:
                index.setdefault(alias, []).append(p)
                _ALIASES[alias] = p.name
    return re.compile(_trie_pattern(shorts)), index


def _trie_pattern(words: set[str]) -> str:
    """A regex matching what the alternation of `words`, longest first, matches, written as
    a trie (山(?:东|西)…): the engine then tries one branch per character, not every word."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


_ALIASES: dict[str, str] = {}  # 楚雄州 -> 楚雄彝族自治州: a short form and the name it stands for
_AUTONOMOUS = re.compile(r"^(.{2,}?)族?自治(州|县|旗)$")


def _autonomous_short_forms(name: str) -> list[str]:
    """楚雄彝族自治州 -> 楚雄州 (and 楚雄彝州, harmless: the place name proper is the part
    before the nationalities, which no list is needed to find: every cut is offered)."""
    m = _AUTONOMOUS.match(name)
    if not m:
        return []
    stem, level = m.group(1), m.group(2)
    return [stem[:k] + level for k in range(2, len(stem)) if "族" not in stem[:k]]


@lru_cache(maxsize=1)
def _longest_by_tail() -> dict[str, int]:
    """The last two characters of every indexed name -> the length of the longest such name
    (up to the ten characters _mentions looks back)."""
    out: dict[str, int] = {}
    for name in _name_index()[1]:
        if len(name) >= 2:
            out[name[-2:]] = min(10, max(out.get(name[-2:], 0), len(name)))
    return out


_Found = list[tuple[str, int]]


def _mentions(text: str) -> _Found:
    """Division names in `text`. Full names all end in 省/市/区/县/旗/州/盟, so the scan
    anchors on those characters and looks the longest name up; short names go through
    one small regex."""
    return _kept(text, *_candidates(text))


def _candidates(text: str, shorts_from: int = 0) -> tuple[_Found, _Found]:
    """(full names, short names from `shorts_from` on) in `text`, before the filter."""
    short_names, index = _name_index()
    longest = _longest_by_tail()
    found: _Found = []
    for m in _ENDINGS.finditer(text):
        end = m.end()
        # most 区/市/县 in a text end a word that is no division: one lookup says so
        for length in range(min(longest.get(text[end - 2:end], 0), end), 1, -1):
            name = text[end - length:end]
            if name in index:
                found.append((name, end - length))
                break
    return found, [(m.group(0), m.start()) for m in short_names.finditer(text, shorts_from)]


def _mentions_of_prefix(prefix: str, of_whole: tuple[_Found, _Found]) -> _Found:
    """_mentions(prefix), given _candidates of a text that starts with `prefix`: only
    its last few characters are scanned again, where a short name could run past its end."""
    found, shorts = of_whole
    cut = max(0, len(prefix) - _longest_short_name())
    kept_shorts = [(n, s) for n, s in shorts if s < cut]  # their scan read no further than the prefix
    resume = max(cut, max((s + len(n) for n, s in kept_shorts), default=0))
    short_names, _ = _name_index()
    kept_shorts += [(m.group(0), m.start()) for m in short_names.finditer(prefix, resume)]
    return _kept(prefix, [(n, s) for n, s in found if s + len(n) <= len(prefix)], kept_shorts)


@lru_cache(maxsize=1)
def _longest_short_name() -> int:
    short_names, index = _name_index()
    return max(len(name) for name in index if short_names.fullmatch(name))


def _kept(text: str, found: _Found, shorts: _Found) -> _Found:
    out = []
    for name, start in found + shorts:
        before = text[start - 1] if start else ""
        # 示范县 is not 范县: a name glued to the word before it is part of that word,
        # unless what precedes is a function word or a parent division (重庆市黔江区).
        if before and _is_han(before) and before not in _FUNCTION_CHARS \
                and not text.endswith(_ORG_PREFIXES, 0, start) \
                and not (before == "年" and (name, start) not in shorts):  # 2024年渠县…
            after = text[start + len(name):start + len(name) + 1]
            # ... or a short name closes the phrase (“科创济南”, 数字山东,): a brand
            # built on the place; 长治久安 runs on and stays a word
            if not ((name, start) in shorts and not _is_han(after)):
                continue
        out.append((name, start))
    return out


def _is_han(ch: str) -> bool:
    return bool(ch) and "\u4e00" <= ch <= "\u9fff"


def find_jurisdiction(area_code: str | None, texts: list[str]) -> str | None:
    """The jurisdiction a document belongs to: the registering area of its 索引号 when
    the gazetteer knows it at county level; otherwise the level the text speaks at
    (我省/我市/我区 cues) filled with the divisions it names most, title first. A division
    the text writes in its short form (楚雄州) is written so (云南省楚雄州)."""
    coded = places().get(area_code) if area_code else None
    if coded and coded.level == 3:
        return full_name(coded)
    province = area_code[:2] if area_code else None
    _, index = _name_index()
    scores: dict[str, float] = {}
    written: dict[str, str] = {}  # code -> the short form the text uses for it
    if len(texts) >= 3 and texts[2].startswith(texts[1]):  # the lead lines begin the body
        whole = _candidates(texts[2])
        mentioned = [_mentions(texts[0]), _mentions_of_prefix(texts[1], whole), _kept(texts[2], *whole)]
    else:
        mentioned = [_mentions(text) for text in texts[:3]]
    for weight, found in zip((5.0, 1.0, 0.5), mentioned, strict=False):
        for name, _pos in found:
            cands = index[name]
            if province:
                cands = [c for c in cands if c.code.startswith(province)]
            elif len(cands) > 1:
                continue  # ambiguous without a province (朝阳区 is in two)
            for c in cands:
                w = weight * (0.6 if name != c.name else 1.0)
                scores[c.code] = scores.get(c.code, 0.0) + w
                if _ALIASES.get(name) == c.name:
                    written.setdefault(c.code, name)
    body = "\n".join(texts[1:2])
    cue = {lvl: len(rx.findall(body)) for lvl, rx in _LEVEL_CUES.items()}
    if not scores and cue[3]:
        for code in _county_by_short_name(" ".join(texts[1:])):
            scores[code] = 0.5
    if province is None:
        prov_scores: dict[str, float] = {}
        for code, sc in scores.items():
            prov_scores[code[:2]] = prov_scores.get(code[:2], 0.0) + sc
        if prov_scores:
            province = max(prov_scores, key=lambda k: prov_scores[k])
    if province is None:
        return _ambiguous_in_title(texts[0] if texts else "", index)
    named_in_title = {c.code for name, _ in mentioned[0] for c in index[name]} if texts else set()
    if not area_code and province in _MUNICIPALITIES and len(_PROVINCE_SPEECH.findall(" ".join(texts))) >= 2 \
            and province + "0000" not in named_in_title:
        return None  # a plan that speaks of its 省 is in no municipality (与上海名校共建 names a partner)
    region = places().get(province + "0000")
    counties = [sc for c, sc in scores.items() if places()[c].level == 3]
    if region and region.name.endswith("自治区") and scores.get(region.code, 0) >= max(counties, default=0.1):
        cue[1], cue[3] = cue[1] + cue[3], 0  # an autonomous region calls itself 全区, 区政府
    level = max(cue, key=lambda k: (cue[k], k)) if any(cue.values()) else 3
    if level == 1 and province + "0000" not in scores and (cue[2] or cue[3]):
        # 全省 said of the province around a city or county the text names, while the
        # province itself goes unnamed: the text speaks at the lower level
        level = 3 if cue[3] >= cue[2] else 2

    def best(lvl: int, prefix: str) -> Place | None:
        cands = [(sc, code) for code, sc in scores.items()
                 if code.startswith(prefix) and places()[code].level == lvl]
        return places()[max(cands)[1]] if cands else None

    chosen = places().get(province + "0000")
    if coded and coded.level == 2:
        chosen = coded
    elif level >= 2:
        city = best(2, province)
        county = best(3, province) if level == 3 else None
        if level == 2 and county is None:
            # 全市 in a county-level city (都江堰市, 义乌市) that no prefecture-level city outranks
            town = best(3, province)
            if town and town.name.endswith("市") and (city is None or scores[town.code] > scores[city.code]):
                county = town
        if county and (city is None or county.code.startswith(city.code[:4])
                       or scores[county.code] >= scores[city.code]):
            chosen = county
        elif city:
            chosen = city
    if chosen is None:
        return None
    name = full_name(chosen)
    if chosen.code in written and name.endswith(chosen.name):
        name = name[:-len(chosen.name)] + written[chosen.code]
    return name


def _ambiguous_in_title(title: str, index: dict[str, list[Place]]) -> str | None:
    """铁东区 in a title, a name two provinces have and nothing else in the text places:
    the name as written is the best the text supports."""
    names = {name for name, _ in _mentions(title)
             if len(index[name]) > 1 and name.endswith(("区", "县", "市", "旗"))}
    return names.pop() if len(names) == 1 else None


# a county's short name (吉水 for 吉水县) is no word to look for in running text, but it
# is one before a school named after the county (吉水二中, 钟楼实验小学) or closing a
# quoted brand (“幸福钟楼”)
_SHORT_BEFORE = re.compile(r"([\u4e00-\u9fff]{2,4}?)(?=[一二三四五六七八九十]中|中学|小学|高中|实验|"
                           r"幼儿园|职中|”)")


@lru_cache(maxsize=1)
def _county_shorts() -> dict[str, str]:
    """Short name -> code of the counties whose short name is unique and is no other
    division's name or short name."""
    _, index = _name_index()
    seen: dict[str, list[str]] = {}
    for p in places().values():
        if p.level == 3 and len(p.name) >= 3 and p.name[-1] in "县区市旗":
            seen.setdefault(p.name[:-1], []).append(p.code)
    return {k: v[0] for k, v in seen.items() if len(v) == 1 and k not in index}


def _county_by_short_name(text: str) -> list[str]:
    shorts = _county_shorts()
    found: list[str] = []
    for m in _SHORT_BEFORE.finditer(text):
        run = m.group(1)
        for k in range(len(run), 1, -1):  # the longest tail of the run that is a short name
            code = shorts.get(run[-k:])
            if code:
                if code not in found:
                    found.append(code)
                break
    return found


def place_prefix_lengths(text: str, end: int, longest: int = 10) -> list[int]:
    """Lengths k of division names (full or short: 黔江区, 重庆市, 重庆) ending at `end`,
    i.e. text[end-k:end] names a place; longest first."""
    _, index = _name_index()
    # two-character 城区/郊区/矿区 are real districts but mostly the plain words
    return [k for k in range(min(longest, end), 1, -1)
            if text[end - k:end] in index and not (k == 2 and text[end - 1] in "区县")]


def leading_place(name: str, within: str | None = None) -> str | None:
    """The division a name starts with, as a full name (武清区… -> 天津市武清区, 重庆…学院 ->
    重庆市); when several divisions share the name, the one inside `within` wins."""
    _, index = _name_index()
    for k in range(min(10, len(name) - 1), 1, -1):
        cands = index.get(name[:k])
        if not cands or (k == 2 and name[1] in "区县"):
            continue
        full = [full_name(p) for p in cands]
        if within:
            if within.endswith(name[:k]):
                return within
            inside = [f for f in full if within.startswith(f) or f.startswith(within)]
            if inside:
                return inside[0]
        return full[0] if len(set(full)) == 1 else None
    return None
