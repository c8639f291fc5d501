"""Run a reader in a forked child with a time limit and a memory ceiling.

PDF and spreadsheet libraries parse attacker-shaped input (a compressed stream that
inflates to gigabytes, a million empty pages, a cycle of object references): the child
gets `RLIMIT_AS` and a deadline, and the parent turns whatever happens to it — a clean
ReadError, a MemoryError, a kill on the deadline — into one ReadError for the file.
A plain fork (not multiprocessing) also works inside the batch's daemonic pool workers.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import sys
import time
from collections.abc import Callable
from typing import Any, TypeVar

from kg.read import ReadError

T = TypeVar("T")


def run_limited(fn: Callable[..., T], args: tuple[Any, ...], time_limit: float, memory_limit: int,
                path: str) -> T:
    if not hasattr(os, "fork"):  # no fork (Windows): run in-process, unlimited
        return fn(*args)
    rfd, wfd = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(rfd)
        _child(fn, args, memory_limit, wfd, path)
    os.close(wfd)
    try:
        data = _collect(rfd, time.monotonic() + time_limit)
    except BaseException:  # Ctrl-C in the parent: take the child (and its tesseract) with us
        _kill(pid)
        raise
    finally:
        os.close(rfd)
    if data is None:  # the deadline passed
        _kill(pid)
        raise ReadError(path, f"reading took longer than the {time_limit:.0f} s limit per file")
    _, status = os.waitpid(pid, 0)
    if not data:
        if os.WIFSIGNALED(status):
            raise ReadError(path, f"the reader crashed (signal {os.WTERMSIG(status)}); "
                                  "the file is corrupt or exceeds the memory limit")
        raise ReadError(path, "the reader stopped without a result (corrupt file?)")
    kind, payload = pickle.loads(data)
    if kind == "ok":
        return payload
    raise ReadError(path, payload)


def _child(fn: Callable[..., Any], args: tuple[Any, ...], memory_limit: int, wfd: int, path: str) -> None:
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.setpgid(0, 0)  # its own group, so a kill on the deadline reaches tesseract/soffice too
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
        except (ImportError, ValueError, OSError):
            pass
        try:
            result: tuple[str, Any] = ("ok", fn(*args))
        except ReadError as e:
            result = ("read_error", e.reason)
        except MemoryError:
            mb = memory_limit // 2**20
            result = ("error", f"the file needs more than the {mb} MB memory limit per file")
        except RecursionError:
            result = ("error", "document structure too deeply nested")
        except Exception as e:  # a library's complaint about a broken file
            result = ("error", _reason(e))
        try:
            data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            data = pickle.dumps(("error", "the extracted text exceeds the memory limit"))
        view = memoryview(data)
        while view:
            n = os.write(wfd, view)
            view = view[n:]
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _reason(e: Exception) -> str:
    msg = str(e).strip().splitlines()[0] if str(e).strip() else ""
    name = type(e).__name__
    return f"unreadable file ({name}: {msg[:160]})" if msg else f"unreadable file ({name})"


def _collect(fd: int, deadline: float) -> bytes | None:
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            return None
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _kill(pid: int) -> None:
    try:
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
