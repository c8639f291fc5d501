"""Reading real-world bytes: encodings detected, bad inputs rejected with a clear reason."""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.read import ReadError, discover, html_to_text, read_file

SAMPLE = "重庆市黔江区教育委员会关于印发《深入推进教育高质量发展工作方案》的通知\n一、总体要求\n"
TRAD = "區教委關於印發《教育發展工作方案》的通知\n一、總體要求\n(責任單位:區教委、區財政局)\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8"),
        (SAMPLE.encode("gb18030"), "gb18030"),
        (TRAD.encode("big5"), "big5"),
        (codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"), "utf-16"),
        (SAMPLE.encode("utf-16-le"), "utf-16-le"),
    ],
)
def test_encodings_are_detected(tmp_path: Path, data: bytes, encoding: str) -> None:
    f = tmp_path / "doc.txt"
    f.write_bytes(data)
    decoded = read_file(f)
    expected = TRAD if encoding == "big5" else SAMPLE
    assert decoded.source == expected
    assert decoded.encoding.replace("_", "-").startswith(encoding.split("-")[0])


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\t\n", "empty file"),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary file (PNG image)"),
        ("archive.txt", b"PK\x03\x04" + b"\x00" * 64, "binary file (ZIP archive)"),
        ("nul.txt", b"abc\x00\x01\x02\xff\xfe\x00\x00\x9f" * 50, "binary file"),
        ("data.csv", "序号,任务".encode(), "unsupported file type '.csv'"),
    ],
)
def test_bad_inputs_give_a_reason(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    f = tmp_path / name
    f.write_bytes(data)
    items = list(discover([f]))
    err = items[0] if isinstance(items[0], ReadError) else None
    if err is None:
        with pytest.raises(ReadError) as exc:
            read_file(f)
        err = exc.value
    assert reason in err.reason
    assert str(err).startswith(f"{f}: ")


def test_missing_path(tmp_path: Path) -> None:
    (err,) = list(discover([tmp_path / "nope.txt"]))
    assert isinstance(err, ReadError) and err.reason == "no such file or directory"


def test_truncated_utf8_is_kept(tmp_path: Path) -> None:
    f = tmp_path / "cut.txt"
    f.write_bytes(SAMPLE.encode("utf-8")[:-2])
    assert read_file(f).source.startswith("重庆市黔江区")


def test_unreadable_file(unprivileged: tuple[list[str], Path]) -> None:
    prefix, folder = unprivileged
    f = folder / "secret.txt"
    f.write_text(SAMPLE, encoding="utf-8")
    f.chmod(0)
    probe = ("from kg.read import ReadError, read_file\n"
             "try:\n    read_file(__import__('sys').argv[1])\nexcept ReadError as e:\n    print(e.reason)")
    run = subprocess.run([*prefix, sys.executable, "-c", probe, str(f)], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parent.parent, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "permission denied"


def test_directory_walk_is_recursive_and_survives_symlink_loops(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "one.txt").write_text(SAMPLE, encoding="utf-8")
    (tmp_path / "a" / "b" / "two.html").write_text("<p>x</p>", encoding="utf-8")
    (tmp_path / "a" / "b" / "manifest.tsv").write_text("x", encoding="utf-8")
    os.symlink(tmp_path / "a", tmp_path / "a" / "b" / "loop")
    found = [p.name for p in discover([tmp_path]) if isinstance(p, Path)]
    assert sorted(found) == ["one.txt", "two.html"]


def test_html_drops_scripts_and_navigation_and_maps_offsets() -> None:
    page = (
        "<html><head><title>t</title><script>var a='区教委';</script><style>p{}</style></head>"
        "<body><div class='nav'>首页 &gt; 政务公开</div><p>一、总体要求</p>"
        "<p>区教委&amp;区财政局负责</p><div id='footer'>版权所有</div></body></html>"
    )
    text, starts, ends = html_to_text(page)
    assert "var a" not in text and "首页" not in text and "版权所有" not in text
    lines = [line for line in text.split("\n") if line]
    assert lines == ["一、总体要求", "区教委&区财政局负责"]
    i = text.index("区财政局")
    assert page[starts[i]:ends[i + 3]] == "区财政局"
    amp = text.index("&")
    assert page[starts[amp]:ends[amp]] == "&amp;"


def test_cli_reports_each_bad_file_and_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(SAMPLE, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "empty.txt"), str(good),
                                       str(tmp_path / "missing.txt"), "--out", str(out)])
    assert result.exit_code == 1
    assert f"{tmp_path / 'empty.txt'}: empty file" in result.stderr
    assert f"{tmp_path / 'missing.txt'}: no such file or directory" in result.stderr
    assert (out / "good.json").exists()
