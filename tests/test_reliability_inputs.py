"""Bad inputs through the real command line: each unreadable file costs one `path: reason`
line on stderr, the rest of the batch is still built, the exit code tells the truth and
memory stays bounded.

The folder is built here, in a temporary directory, so the test says exactly what it feeds
the tool. Everything runs `kg` as a subprocess: a crash, a hang or a blown memory budget
in the real program must fail the test, not be hidden by an in-process runner.
"""

from __future__ import annotations

import codecs
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import opencc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.pipeline import process_file
from kg.read import ReadError, decode_bytes, read_file

KG = Path(sys.executable).with_name("kg")
if not KG.exists():  # pytest run from an interpreter outside the venv
    KG = Path(shutil.which("kg") or "kg")

# A short but realistic plan: title, number, numbered sections, responsible units, a target.
PLAN = """重庆市黔江区教育委员会关于印发《深入推进教育高质量发展工作方案》的通知
黔江教发〔2023〕12号
各中小学校、幼儿园,委属各单位:
现将《深入推进教育高质量发展工作方案》印发给你们,请认真贯彻落实。
重庆市黔江区教育委员会
2023年3月1日
深入推进教育高质量发展工作方案
一、总体要求
坚持以人民为中心的发展思想,办好人民满意的教育。
二、主要任务
(一)扩大优质学前教育资源。到2025年,全区学前三年毛入园率达到95%以上。
责任单位:区教委、区财政局、区发展改革委。
(二)推进义务教育优质均衡发展。新建城区第三小学,改扩建城南中学。
牵头单位:区教委;配合单位:区规划自然资源局、区住房城乡建委。
(三)加强教师队伍建设。2024年底前完成乡村教师周转宿舍建设。
责任单位:区教委、区人力社保局。
三、保障措施
(一)加强组织领导。成立区教育高质量发展工作领导小组,统筹推进各项工作。
(二)强化经费保障。区财政局要足额落实教育经费。
"""
TITLE = "深入推进教育高质量发展工作方案"
TRADITIONAL = opencc.OpenCC("s2tw").convert(PLAN)


@dataclass
class Case:
    name: str
    reason: str | None = None  # a `path: reason` expected; None: read and recorded
    encoding: str | None = None  # for a recorded file, the encoding it must be read as


def build_bad_folder(root: Path) -> tuple[Path, list[Case]]:
    """The bad-input folder of the issue, with what each file must produce."""
    d = root / "inbox"
    d.mkdir()
    cases: list[Case] = []

    def put(name: str, data: bytes, reason: str | None = None, encoding: str | None = None) -> None:
        (d / name).write_bytes(data)
        cases.append(Case(name, reason, encoding))

    put("good.txt", PLAN.encode("utf-8"), encoding="utf-8")
    put("good-bom.md", codecs.BOM_UTF8 + PLAN.encode("utf-8"), encoding="utf-8")
    put("empty.txt", b"", "empty file")
    put("blank.txt", " \n\t\r\n\u3000\n".encode(), "empty file")
    put("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "binary file (PNG image)")
    put("archive.html", b"PK\x03\x04" + bytes(range(256)) * 8, "binary file (ZIP archive)")
    put("nul.txt", b"\x00\x01\x02\x03\xff\xfe\xfd" * 300, "binary file")
    # cut in the middle of the last character's three bytes
    put("truncated.txt", PLAN.encode("utf-8") + "教".encode()[:2], encoding="utf-8")
    # a UTF-8 file with a GBK paragraph pasted into it: every line is still readable
    put("mixed.txt", PLAN.encode("utf-8") + PLAN.encode("gbk") + PLAN.encode("utf-8"),
        encoding="utf-8+gb18030")
    put("gbk.txt", PLAN.encode("gbk"), encoding="gb18030")
    put("big5.txt", TRADITIONAL.encode("big5"), encoding="big5")
    put("utf16le.txt", PLAN.encode("utf-16-le"), encoding="utf-16-le")
    put("utf16be.txt", PLAN.encode("utf-16-be"), encoding="utf-16-be")
    flat = PLAN.replace("\n", " ")
    line = (flat * (2**20 // len(flat.encode()) + 1)).encode()[: 2**20 + 7]
    put("one-line.txt", line.decode("utf-8", errors="ignore").encode(), encoding="utf-8")
    put("page.html", html_page(depth=20).encode("utf-8"), encoding="utf-8")

    # 100 MB of real-looking text: refused before it is read, so memory stays flat
    with (d / "huge.txt").open("wb") as f:
        block = PLAN.encode("utf-8") * 256
        for _ in range(100 * 2**20 // len(block) + 1):
            f.write(block)
    cases.append(Case("huge.txt", "file too large"))

    os.symlink("/dev/zero", d / "zero.txt")  # endless: must not be read to the end
    cases.append(Case("zero.txt", "not a regular file"))
    os.mkfifo(d / "pipe.txt")  # a reader would block forever
    cases.append(Case("pipe.txt", "not a regular file"))
    os.symlink(".", d / "loop")  # the folder inside itself
    sub = d / "sub"
    sub.mkdir()
    os.symlink("..", sub / "up")  # and a loop two levels deep
    (sub / "nested.txt").write_bytes(PLAN.encode("utf-8"))
    cases.append(Case("sub/nested.txt", encoding="utf-8"))
    os.symlink("self.txt", d / "self.txt")  # a link to itself
    cases.append(Case("self.txt", "symbolic link loop"))
    os.symlink("gone.txt", d / "dangling.txt")
    cases.append(Case("dangling.txt", "broken symbolic link"))
    (d / "photo.gif").write_bytes(b"GIF89a")  # other kinds in a folder: passed over

    secret = d / "secret.txt"
    secret.write_bytes(PLAN.encode("utf-8"))
    secret.chmod(0)
    cases.append(Case("secret.txt", "permission denied") if not can_read(secret)
                 else Case("secret.txt", encoding="utf-8"))  # root reads it anyway
    return d, cases


def can_read(path: Path) -> bool:
    try:
        with path.open("rb"):
            return True
    except PermissionError:
        return False


def html_page(depth: int) -> str:
    opened = "".join(f'<div class="c{i}"><span>' for i in range(depth))
    closed = "</span></div>" * depth
    body = "".join(f"<p>{line}</p>" for line in PLAN.splitlines())
    return ("<!DOCTYPE html><html><head><title>方案</title>"
            "<script>var SCRIPT_IN_HEAD = '一、不应出现';</script>"
            "<style>p { color: red } /* STYLE_TEXT */</style></head><body>"
            f"{opened}<script type='text/javascript'>document.write('SCRIPT_IN_BODY')</script>"
            f"{body}<noscript>NOSCRIPT_TEXT</noscript>{closed}"
            "<script>alert('SCRIPT_AT_END')</script></body></html>")


@dataclass
class Run:
    rc: int | None  # None: killed after the timeout
    out: str
    err: str
    rss_mb: float  # peak resident memory of the command


# Run a command from a fresh interpreter whose only child is that command, so
# RUSAGE_CHILDREN is the command's own peak RSS and not the largest of every subprocess
# this test session ever waited for.
_RUNNER = """
import json, resource, subprocess, sys
timeout = float(sys.argv[1])
try:
    p = subprocess.run(sys.argv[2:], capture_output=True, timeout=timeout)
    rc, out, err = p.returncode, p.stdout, p.stderr
except subprocess.TimeoutExpired as e:
    rc, out, err = None, e.stdout or b"", e.stderr or b""
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"rc": rc, "out": out.decode("utf-8", "replace"),
                  "err": err.decode("utf-8", "replace"), "rss_mb": rss}))
"""


def run_kg(*args: str | Path, timeout: float = 300, cwd: Path | None = None) -> Run:
    cmd = [sys.executable, "-c", _RUNNER, str(timeout), str(KG), *map(str, args)]
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, check=True,
                       env={**os.environ, "COLUMNS": "200"})
    r = json.loads(p.stdout)
    return Run(r["rc"], r["out"], r["err"], r["rss_mb"])


def error_lines(err: str) -> dict[str, str]:
    """`path: reason` lines of stderr, keyed by path."""
    out: dict[str, str] = {}
    for line in err.splitlines():
        path, sep, reason = line.partition(": ")
        if sep and ("/" in path or path.endswith((".txt", ".html", ".md"))):
            assert path not in out, f"{path} reported twice:\n{err}"
            out[path] = reason
    return out


# -- kg extract over the bad-input folder ----------------------------------------------------

@pytest.fixture(scope="module")
def bad_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Case], Path, Run]:
    root = tmp_path_factory.mktemp("bad")
    folder, cases = build_bad_folder(root)
    out = root / "records"
    run = run_kg("extract", folder, "--out", out, timeout=240)
    return folder, cases, out, run


def test_batch_goes_on_and_each_bad_file_gets_one_line(
        bad_run: tuple[Path, list[Case], Path, Run]) -> None:
    folder, cases, _, run = bad_run
    assert run.rc is not None, f"kg extract hung:\n{run.err[-2000:]}"
    assert "Traceback" not in run.err, run.err
    errors = error_lines(run.err)
    for case in cases:
        path = str(folder / case.name)
        if case.reason:
            assert path in errors, f"no error line for {case.name}:\n{run.err}"
            assert case.reason in errors[path], errors[path]
            assert "\n" not in errors[path]
        else:
            assert path not in errors, f"{case.name} should have been read: {errors.get(path)}"
    expected_errors = {str(folder / c.name) for c in cases if c.reason}
    assert set(errors) == expected_errors, "unexpected error lines:\n" + run.err
    # the same folder reached again through the loop links is not read twice
    assert not any("/loop/" in p or "/up/" in p for p in errors)


def test_good_files_still_produce_records(bad_run: tuple[Path, list[Case], Path, Run]) -> None:
    _, cases, out, run = bad_run
    recorded = {p.relative_to(out).as_posix(): json.loads(p.read_text(encoding="utf-8"))
                for p in out.rglob("*.json")}
    want = {Path(c.name).with_suffix(".json").as_posix(): c for c in cases if c.reason is None}
    assert set(recorded) == set(want), run.err
    for name, case in want.items():
        rec = recorded[name]
        assert rec["encoding"] == case.encoding, name
        if name == "one-line.json":
            continue  # one run-on line has no heading lines to find a title in
        # read right means parsed right: the title and the sections come through
        assert rec["meta"]["title"] == TITLE, (name, rec["meta"])
        keys = [s["key"] for s in rec["sections"]]
        assert keys[:3] == ["一", "二", "三"], (name, keys)
    assert f"{len(want)} document(s) written" in run.err


def test_exit_code_is_1_when_any_file_failed(bad_run: tuple[Path, list[Case], Path, Run]) -> None:
    *_, run = bad_run
    assert run.rc == 1
    failures = sum(1 for c in bad_run[1] if c.reason)
    assert f"{failures} file(s) could not be read" in run.err


def test_memory_stays_bounded(bad_run: tuple[Path, list[Case], Path, Run]) -> None:
    """A 100 MB file, /dev/zero and a 1 MB line in the batch: the peak stays far below
    what reading any of them whole would take."""
    *_, run = bad_run
    assert run.rss_mb < 400, f"peak RSS {run.rss_mb:.0f} MB"


def test_exit_code_is_0_when_nothing_failed(tmp_path: Path) -> None:
    d = tmp_path / "ok"
    d.mkdir()
    (d / "a.txt").write_text(PLAN, encoding="utf-8")
    (d / "b.txt").write_bytes(PLAN.encode("gbk"))
    (d / "manifest.tsv").write_text("a\tb\n", encoding="utf-8")  # passed over, not a failure
    run = run_kg("extract", d, "--out", tmp_path / "out", timeout=120)
    assert run.rc == 0, run.err
    assert sorted(p.name for p in (tmp_path / "out").glob("*.json")) == ["a.json", "b.json"]
    assert "could not be read" not in run.err


def test_unsupported_file_named_on_the_command_line(tmp_path: Path) -> None:
    doc = tmp_path / "plan.txt"
    doc.write_text(PLAN, encoding="utf-8")
    other = tmp_path / "plan.ofd"  # .docx/.pdf are read now (kg/formats); OFD is not
    other.write_bytes(b"PK\x03\x04" + bytes(64))
    missing = tmp_path / "nowhere.txt"
    run = run_kg("extract", other, doc, missing, "--out", tmp_path / "out", timeout=120)
    assert run.rc == 1
    errors = error_lines(run.err)
    assert "unsupported file type '.ofd'" in errors[str(other)]
    assert errors[str(missing)] == "no such file or directory"
    assert (tmp_path / "out" / "plan.json").exists()


def test_unreadable_file(unprivileged: tuple[list[str], Path]) -> None:
    prefix, folder = unprivileged
    inputs, out = folder / "in", folder / "out"
    inputs.mkdir(mode=0o777)
    f = inputs / "secret.txt"
    f.write_text(PLAN, encoding="utf-8")
    f.chmod(0)
    (inputs / "plan.txt").write_text(PLAN, encoding="utf-8")
    inputs.chmod(0o777)
    out.mkdir(mode=0o777)
    out.chmod(0o777)
    run = subprocess.run([*prefix, str(KG), "extract", str(inputs), "--out", str(out)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    assert error_lines(run.stderr) == {str(f): "permission denied"}
    assert (out / "plan.json").exists()  # the batch went on


# -- what "read correctly" means: the exact text ----------------------------------------------

@pytest.mark.parametrize(("data", "expected"), [
    (PLAN.encode("gbk"), PLAN),
    (PLAN.encode("gb18030"), PLAN),
    (TRADITIONAL.encode("big5"), TRADITIONAL),
    (PLAN.encode("utf-16-le"), PLAN),
    (PLAN.encode("utf-16-be"), PLAN),
    # no ASCII at all, so no NUL bytes to tell UTF-16 by
    ("深入推进义务教育优质均衡发展。".encode("utf-16-be"), "深入推进义务教育优质均衡发展。"),
    ("深入推进义务教育优质均衡发展。".encode("utf-16-le"), "深入推进义务教育优质均衡发展。"),
    (PLAN.encode("utf-8") + PLAN.encode("gbk"), PLAN + PLAN),
    (PLAN.encode("gbk") + PLAN.encode("utf-8") * 2, PLAN * 3),
], ids=["gbk", "gb18030", "big5", "utf16le", "utf16be", "utf16be-cjk-only", "utf16le-cjk-only",
        "utf8+gbk", "gbk+utf8"])
def test_undeclared_encodings_are_read_exactly(tmp_path: Path, data: bytes, expected: str) -> None:
    f = tmp_path / "doc.txt"
    f.write_bytes(data)
    assert read_file(f).source == expected


def test_truncated_utf8_keeps_the_text_and_flags_the_cut(tmp_path: Path) -> None:
    f = tmp_path / "cut.txt"
    f.write_bytes(PLAN.encode("utf-8") + "教".encode()[:2])
    doc = process_file(f)
    assert doc.source.startswith(PLAN)
    assert any(w.kind == "garbled" for w in doc.warnings)


# Sentences of a real plan: detection must hold for short documents too, not just long ones.
_SENTENCES = [s + "。" for s in PLAN.replace("\n", "").split("。") if len(s) > 4]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_SENTENCES), min_size=1, max_size=8),
       st.sampled_from(["gbk", "big5", "utf-16-le", "utf-16-be"]))
def test_encoding_detection_on_short_documents(sentences: list[str], encoding: str) -> None:
    text = "\n".join(sentences)
    if encoding == "big5":
        text = opencc.OpenCC("s2tw").convert(text)
    assert decode_bytes(text.encode(encoding))[0] == text


# -- HTML, long lines, deep nesting ----------------------------------------------------------

def test_html_scripts_dropped_in_deep_nesting(tmp_path: Path) -> None:
    f = tmp_path / "page.html"
    f.write_text(html_page(depth=20), encoding="utf-8")
    doc = process_file(f)
    for junk in ("SCRIPT_IN_HEAD", "SCRIPT_IN_BODY", "SCRIPT_AT_END", "STYLE_TEXT", "NOSCRIPT",
                 "不应出现", "alert", "document.write"):
        assert junk not in doc.text
    assert "推进义务教育优质均衡发展" in doc.text
    assert [s.key for s in doc.sections][:3] == ["一", "二", "三"]
    assert doc.meta.title == TITLE


def test_pathological_nesting_is_an_error_or_a_document(tmp_path: Path) -> None:
    """Tens of thousands of unclosed tags: no crash, no hang."""
    f = tmp_path / "deep.html"
    f.write_text("<html><body>" + "<div><b>" * 50_000 + "一、总体要求" + "</b>" * 10
                 + "</body></html>", encoding="utf-8")
    try:
        doc = process_file(f)
    except ReadError as e:
        assert str(e).startswith(f"{f}: ")
    else:
        assert "总体要求" in doc.text


@pytest.mark.slow
def test_one_megabyte_line_in_one_measure(tmp_path: Path) -> None:
    """The worst case for a line: a heading, then 1 MB of tasks with unit lists and no
    line break, so everything is one measure."""
    task = "推进义务教育优质均衡发展,到2025年覆盖率达到95%以上。责任单位:区教委、区财政局。"
    f = tmp_path / "run-on.txt"
    f.write_text("二、主要任务\n(一)扩大优质教育资源。" + task * (2**20 // len(task.encode())),
                 encoding="utf-8")
    run = run_kg("extract", f, "--out", tmp_path / "out", timeout=90)
    assert run.rc == 0, f"rc={run.rc} (None: still running after 90 s)\n{run.err[-2000:]}"


def _past_a_limit(tmp_path: Path, name: str, text: str, env: dict[str, str], *args: str
                  ) -> tuple[subprocess.CompletedProcess[str], Path]:
    """`kg ARGS` over a folder of the file `name` holding `text` and a small plan after it,
    with `env` set: (the run, the folder)."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / name).write_text(text, encoding="utf-8")
    (folder / "b_small.txt").write_text("二、主要任务\n1.新建小学1所。(责任单位:区教委)\n", encoding="utf-8")
    p = subprocess.run([str(KG), *args[:1], str(folder), *args[1:]], capture_output=True, text=True,
                       env={**os.environ, **env}, timeout=300)
    assert p.returncode == 1, p.stderr
    return p, folder


def test_a_file_over_the_time_limit_is_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    """The per-file extraction budget ($KG_FILE_TIME_LIMIT): a file past it gets its one-line
    reason, the files after it are still built."""
    item = "{}.推进第{}项建设。(责任单位:区教委、区财政局)\n"
    big = "二、主要任务\n" + "".join(item.format(i, i) for i in range(1, 4000))
    p, folder = _past_a_limit(tmp_path, "a_slow.txt", big, {"KG_FILE_TIME_LIMIT": "0.5"},
                              "build", "--store", str(tmp_path / "store"))
    errors = error_lines(p.stderr)
    assert errors[str(folder / "a_slow.txt")].startswith("extraction took longer than the 0.5 s limit")
    assert "1 read" in p.stderr or "1 read" in p.stdout


def test_a_long_text_past_the_memory_limit_is_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    """A text past ISOLATE_ABOVE characters is extracted in a child with an address-space
    ceiling ($KG_FILE_MEMORY_LIMIT MB): past it, one line, and the process that writes the
    store never grew."""
    task = "推进义务教育优质均衡发展,到2025年覆盖率达到95%以上。责任单位:区教委、区财政局。"
    text = "二、主要任务\n(一)扩大优质教育资源。" + task * 30_000
    p, folder = _past_a_limit(tmp_path, "a_long.txt", text, {"KG_FILE_MEMORY_LIMIT": "200"},
                              "extract", "--out", str(tmp_path / "out"))
    reason = error_lines(p.stderr)[str(folder / "a_long.txt")]
    assert reason == "the file needs more than the 200 MB memory limit per file"
    assert (tmp_path / "out" / "b_small.json").exists()
