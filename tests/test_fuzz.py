"""Property tests: whatever text comes in, normalize/parse/extract never raise, every span
points into the source and quotes it exactly, every extracted name is in the clean text,
and the offset maps run forwards.

The generators build text the way real pages go wrong: plan vocabulary and unit names cut
up and shuffled, section markers in odd places, pinyin annotations (區(qū)), full-width
forms, stray tags and entities, invisible characters, replacement characters, and now and
then arbitrary Unicode.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kg.model import Document, Span
from kg.normalize import normalize
from kg.pipeline import process_text
from kg.read import html_to_text
from tests.conftest import SEEDS

FUZZ = settings(max_examples=int(os.environ.get("KG_FUZZ_EXAMPLES", "200")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

_HAN = ("重庆市黔江区教育委员会关于印发深入推进高质量发展工作方案的通知总体要求主要任务保障措施"
        "责任单位牵头配合区委政府财政局发展改革委人力社保局住房城乡建委规划自然资源局领导小组办公室"
        "组长副成员学校幼儿园小学中学新建改扩建年底前完成达到以上万元个所名师生覆盖率")
_TRAD = "區關於發展辦學質縣鎮組長單負責實施為國際專業務經濟"
_PUNCT = "。,、;:!?()()《》“”‘’【】〔〕[]—…·-/%.: ,;"
_FULLWIDTH = "ＡＢＣ１２３４５６７８９０，．：；（）％＋－"
_TOKENS = [
    "一、", "二、", "三、", "十二、", "(一)", "(二)", "(十)", "(三)", "1.", "2、", "10.", "(1)",
    "(2)", "①", "②", "⑳", "第一章", "第二章", "第一条", "第十二条", "第三节", "第一编",
    "附件", "附件1:", "附件2", "\n", "\n", "\n", "\n\n", "\r\n", " ", "\u3000", "\t",
    "(qū)", "(fā)", "(lǐng)", "(zhì)", "(ǚ)", "(qu)", "(zhàn", "ū)",
    "<p>", "</p>", "<br/>", "<div class=\"x\">", "</div>", "<span>", "?/p>", "<script>", "</a>",
    "&nbsp;", "&amp;", "&#12345;", "&#x4e00;", "&lt;", "&bogus;", "&#99999999;",
    "\u200b", "\ufeff", "\u00ad", "\u2060", "\ufffd", "??", "?", "\ue000",
    "责任单位:", "牵头单位:", "配合单位:", "责任单位:区教委、区财政局。", "(责任单位:区教委)",
    "区教委", "区财政局", "区发展改革委", "市教委", "中共重庆市黔江区委", "区人民政府",
    "成立工作领导小组", "领导小组办公室设在区教委", "组长:", "副组长:", "成员:", "张三", "李 四",
    "区委书记", "同志", "到2025年", "2023年底前", "达到95%以上", "不低于90%", "1000万元", "3所",
    "新建", "改扩建", "第一小学", "实验中学", "发文字号:", "黔江教发〔2023〕1号", "2023年1月29日",
    "索引号:11500114009130194Q/2023-00010", "关于印发《", "》的通知", "《", "》",
    "|", "||", "序号|任务|责任单位|完成时限", "\u202e", "\u202c", "𠀀", "🙂",
]


def _chars(alphabet: str, max_size: int = 6) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet, min_size=1, max_size=max_size)


PIECE = st.one_of(
    st.sampled_from(_TOKENS),
    _chars(_HAN, 12),
    _chars(_TRAD),
    _chars(_PUNCT, 3),
    _chars(_FULLWIDTH, 3),
    _chars(_HAN + _TRAD + _PUNCT + _FULLWIDTH + "0123456789abcqū\n "),
    st.text(max_size=4),  # anything Unicode has, now and then
)
TEXT = st.lists(PIECE, max_size=80).map("".join)


# -- checks ---------------------------------------------------------------------------------

def spans(obj: Any) -> Iterator[tuple[str, Span]]:
    """Every Span on a document, with where it was found."""
    stack: list[tuple[str, Any]] = [("doc", obj)]
    while stack:
        where, o = stack.pop()
        if isinstance(o, Span):
            yield where, o
        elif isinstance(o, list):
            stack.extend((f"{where}[{i}]", x) for i, x in enumerate(o))
        elif dataclasses.is_dataclass(o) and not isinstance(o, type):
            for f in dataclasses.fields(o):
                if f.name not in ("starts", "ends", "source", "text"):
                    stack.append((f"{where}.{f.name}", getattr(o, f.name)))


def check_maps(source: str, text: str, starts: list[int], ends: list[int]) -> None:
    assert len(starts) == len(ends) == len(text)
    for i in range(len(text)):
        assert 0 <= starts[i] <= ends[i] <= len(source), (i, starts[i], ends[i])
        if i:
            assert starts[i - 1] <= starts[i], f"starts go backwards at {i}"
            assert ends[i - 1] <= ends[i], f"ends go backwards at {i}"


# Names that must be quotable from the clean text. An indicator's subject is a description,
# not a name: 建设15个名班主任工作室 gives 建设名班主任工作室, the words on either side of
# the number, so it must be two pieces of the text joined.
QUOTABLE = ("measure title", "unit mention", "person", "group", "school")


def _two_pieces(subject: str, text: str) -> bool:
    return any(subject[:k] in text and subject[k:] in text for k in range(len(subject) + 1))


def check_document(doc: Document, kinds: tuple[str, ...] = QUOTABLE) -> None:
    check_maps(doc.source, doc.text, doc.starts, doc.ends)
    n = len(doc.source)
    for where, s in spans(doc):
        assert 0 <= s.start <= s.end <= n, (where, s)
        assert s.text == doc.source[s.start:s.end], where
    names: list[tuple[str, str]] = []
    for m in doc.measures:
        assert 0 <= m.start <= m.end <= len(doc.text), m
        names += [("measure title", m.title)]
        names += [("unit mention", u.mention) for u in m.units]
    names += [("person", p.name) for p in doc.people]
    names += [("group", g.name) for g in doc.groups]
    names += [("school", s.name) for s in doc.schools]
    for i in doc.indicators:
        assert _two_pieces(i.subject, doc.text), f"indicator subject {i.subject!r} is not from the text"
    for what, name in names:
        if what not in kinds:
            continue
        assert name in doc.text, f"{what} {name!r} is not in the normalized text"
    for s in doc.sections_flat():
        assert 0 <= s.start <= s.end <= len(doc.text), s
        for c in s.children:
            assert s.start <= c.start and c.end <= s.end, (s.key, c.key)


# -- properties -----------------------------------------------------------------------------

@FUZZ
@given(TEXT)
@example("區(qū)教委關(guān)於印發(fā)《方案》的通知\n一、總體要求\n(一)加強領(lǐng)導。責任單位:區(qū)教委。")
@example("一、\n(一)\n1.\n(1)\n①")
@example("<p>一、总体要求</p>&nbsp;<br/>(一)责任单位:区教委")
@example("\ufeff\u200b\n\n")
def test_pipeline_on_random_text(source: str) -> None:
    check_document(process_text(source))


@FUZZ
@given(TEXT)
def test_pipeline_on_random_html(body: str) -> None:
    source = f"<html><body><div>{body}</div><script>x = '{body[:20]}'</script></body></html>"
    doc = process_text(source, is_html=True)
    check_document(doc)
    assert "<script>" not in doc.text


@FUZZ
@given(TEXT)
def test_normalize_maps_are_monotone(source: str) -> None:
    norm = normalize(source)
    check_maps(source, norm.text, norm.starts, norm.ends)
    for notice in norm.notices:
        if notice.span:
            assert notice.span.text == source[notice.span.start:notice.span.end]


@FUZZ
@given(TEXT)
def test_html_maps_are_monotone(body: str) -> None:
    source = f"<html><body>{body}</body></html>"
    text, starts, ends = html_to_text(source)
    check_maps(source, text, starts, ends)
    norm = normalize(source, text, starts, ends)
    check_maps(source, norm.text, norm.starts, norm.ends)


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(["一、", "(一)", "1.", "(1)", "①", "第一章", "第一条",
                                           "第二节", "附件1:", "二、", "(二)", "2."]),
                          _chars(_HAN, 20), st.sampled_from(["。", "", ":", "。责任单位:区教委。"])),
                max_size=30))
def test_section_trees_from_marker_soup(lines: list[tuple[str, str, str]]) -> None:
    """Markers in every order and depth: the tree nests, spans stay in the text."""
    source = "\n".join(m + body + end for m, body, end in lines)
    check_document(process_text(source))


# Real plans cut into windows and damaged: the structure extractors were written for,
# with the noise in the places they look at.
_SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


@st.composite
def damaged_seed(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(_SEED_TEXTS))
    size = draw(st.integers(200, 4000))
    at = draw(st.integers(0, max(0, len(text) - size)))
    window = list(text[at:at + size])
    for _ in range(draw(st.integers(0, 12))):
        pos = draw(st.integers(0, len(window)))
        if draw(st.booleans()) and window:
            del window[pos:pos + draw(st.integers(1, 30))]
        else:
            window[pos:pos] = draw(PIECE)
    return "".join(window)


@FUZZ
@given(damaged_seed())
@example("(0%一、")
@example("加快完成武陵中学后续建设,新建改(扩)建黔江初级中学、新华初级中学,新增校舍16万平方米")
def test_pipeline_on_damaged_real_plans(source: str) -> None:
    check_document(process_text(source))
