"""Normalization: the cleaned text is right and every character maps back into the file."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.normalize import normalize


def clean(s: str) -> str:
    return normalize(s).text


def test_pinyin_annotations_are_removed_but_real_parentheses_stay() -> None:
    assert clean("區(qū)教委發(fā)布") == "区教委发布"
    assert clean("(責任單位:區(qū)教委)") == "(责任单位:区教委)"
    assert clean("上線人數(shù)(含藝體生)") == "上线人数(含艺体生)"


def test_traditional_to_simplified_and_punctuation() -> None:
    assert clean("總體要求：（一）全面發展，１２３") == "总体要求:(一)全面发展,123"
    assert clean("稳定在8～10人") == "稳定在8~10人"


def test_padded_names_are_joined() -> None:
    assert clean("組 ???長:封 ?波??區委常委") == "组长:封波 区委常委"
    assert clean("组长:陈  林") == "组长:陈林"
    assert clean("区教委 区财政局") == "区教委 区财政局"  # table cells stay apart


def test_broken_title_is_rejoined() -> None:
    assert clean("關於印發《深入推進黔江教育高質量發\n\n展工作方案》的通知") == (
        "关于印发《深入推进黔江教育高质量发展工作方案》的通知"
    )


def test_whitespace_is_collapsed() -> None:
    assert clean("  一、总体要求 \n\n\n\n（一）目标\u3000\u3000任务  ") == "一、总体要求\n(一)目标 任务"


def test_garbling_is_flagged_with_positions() -> None:
    src = "引导学生扣好人生第一??圩印#ㄘ熑螁挝唬簠^(qū)教委、區(qū)委宣傳部)</p>"
    result = normalize(src)
    kinds = {n.kind for n in result.notices}
    assert {"garbled", "markup"} <= kinds
    for n in result.notices:
        assert n.span is not None and src[n.span.start:n.span.end] == n.span.text
    assert "</p>" not in result.text


def test_offsets_map_into_the_original() -> None:
    src = "區(qū)教委：（一）推進"
    r = normalize(src)
    i = r.text.index("教委")
    assert src[r.starts[i]:r.ends[i + 1]] == "教委"


_PIECES = [*"區区教委發(fā)展()（）：:、,。 \n\u3000?？①1２一二三四《》<>/p-—~～", "(qū)", "</p>", "\ufffd",
           "\ue123", "扣好人生第一??圩印#ㄘ", "封 ?波"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=80).map("".join))
def test_normalizer_never_raises_and_offsets_stay_inside(src: str) -> None:
    r = normalize(src)
    assert len(r.starts) == len(r.ends) == len(r.text)
    for a, b in zip(r.starts, r.ends, strict=True):
        assert 0 <= a <= b <= len(src)


def test_breaks_inside_a_sentence_are_dropped_and_offsets_kept() -> None:
    src = "做好校舍排查,\n落实整改。\n完善制度(由县\n教育局负责)。\n(二)强化保障,\n1.加强督导。"
    out = normalize(src)
    assert out.text == "做好校舍排查,落实整改。\n完善制度(由县教育局负责)。\n(二)强化保障,\n1.加强督导。"
    at = out.text.index("教育局")
    assert src[out.starts[at]:out.ends[at + 2]] == "教育局"


def test_markdown_syntax_is_dropped_only_where_it_marks_up() -> None:
    md = "## 一、总体要求\n  - **加快**建设\n> 引文\n a*b*c 与 5 * 3\n[通知](http://x.cn/a)\n---\n"
    assert normalize(md, markdown=True).text == "一、总体要求\n加快建设\n引文\na*b*c 与 5 * 3\n通知"
