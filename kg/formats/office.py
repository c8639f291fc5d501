"""Old binary Office and WPS files via LibreOffice: .doc/.wps -> .docx, .et -> .xlsx
(`soffice --headless --convert-to`), then the .docx/.xlsx readers.

Each conversion gets a fresh LibreOffice profile in a temporary folder (two conversions
sharing the user's profile block each other, and the user's settings stay untouched), a
timeout, and the temporary folder is removed afterwards. Government sites often publish
a web page saved under a .doc name: such a file is HTML or plain text, and it is read as
that rather than converted.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from kg.formats import Extracted
from kg.read import ReadError, decode_bytes

CONVERT_TIMEOUT = 90  # seconds: a 100-page .doc converts in a few
_TARGET = {".doc": "docx", ".wps": "docx", ".et": "xlsx"}


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read(path: str) -> Extracted:
    suffix = Path(path).suffix.lower()
    target = _TARGET[suffix]
    with open(path, "rb") as f:
        head = f.read(4096)
    page = _web_page(path, head)
    if page is not None:
        return page
    exe = soffice()
    if exe is None:
        raise ReadError(path, f"{suffix} files need LibreOffice to convert them, which is not installed "
                              "(apt-get install libreoffice-writer-nogui libreoffice-calc-nogui)")
    with tempfile.TemporaryDirectory(prefix="kg-soffice-") as tmp:
        converted = convert(exe, path, target, Path(tmp))
        if target == "docx":
            from kg.formats import docx

            result = docx.read(str(converted))
        else:
            from kg.formats import xlsx

            result = xlsx.read(str(converted))
    result.path = path
    result.encoding = f"{suffix[1:]}->{target}"
    return result


def _web_page(path: str, head: bytes) -> Extracted | None:
    """A .doc that is really HTML (or text): decoded as the text reader would."""
    if head.startswith((b"\xd0\xcf\x11\xe0", b"PK\x03\x04", b"{\\rtf")):
        return None
    low = head.lower()
    if b"<html" not in low and b"<!doctype html" not in low and b"<body" not in low:
        return None
    with open(path, "rb") as f:
        data = f.read()
    text, encoding = decode_bytes(data, path)
    return Extracted(path, text, encoding, True)


def convert(exe: str, path: str, target: str, outdir: Path) -> Path:
    profile = outdir / "profile"
    src = outdir / ("input" + Path(path).suffix.lower())  # a plain name: soffice trips on some
    shutil.copyfile(path, src)
    env = {**os.environ, "HOME": str(outdir)}  # LibreOffice writes under $HOME otherwise
    cmd = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--nologo", "--convert-to", target, "--outdir", str(outdir), str(src)]
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=CONVERT_TIMEOUT, env=env,
                              stdin=subprocess.DEVNULL, check=False, start_new_session=False)
    except subprocess.TimeoutExpired:
        raise ReadError(path, f"LibreOffice took longer than {CONVERT_TIMEOUT} s to convert it") from None
    out = outdir / f"input.{target}"
    if not out.exists():
        err = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip().splitlines()
        why = err[-1][:120] if err else f"exit code {proc.returncode}"
        if "password" in " ".join(err).lower():
            raise ReadError(path, "password-protected file (LibreOffice cannot open it)")
        raise ReadError(path, f"LibreOffice could not convert it (corrupt or encrypted file? {why})")
    return out
