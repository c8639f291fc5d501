"""One-line reasons for the errors a command meets writing files (never a traceback)."""

from __future__ import annotations

import os
from pathlib import Path


def cannot_write(target: str | os.PathLike[str], e: OSError) -> str:
    """`cannot write TARGET: reason`, naming the regular file that stands where a folder
    should be (mkdir says only "File exists" or "Not a directory")."""
    where = os.fsencode(target).decode("utf-8", errors="backslashreplace")
    if isinstance(e, FileExistsError | NotADirectoryError):
        for parent in (Path(target), *Path(target).parents):
            if parent.is_file():
                shown = os.fsencode(parent).decode("utf-8", errors="backslashreplace")
                return f"cannot write {where}: {shown} is a file, not a folder"
    return f"cannot write {where}: {e.strerror or e}"
