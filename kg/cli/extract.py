"""`kg extract`: documents -> one JSON record each."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kg.cli import main
from kg.cli.errors import cannot_write
from kg.cli.options import echo_json, json_text, no_ocr_option, output_options

if TYPE_CHECKING:  # the pipeline loads every extractor (cn2an …): only when extracting
    from kg.read import ReadError


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write DIR/<document id>.json for each document: the file's path in the folder "
                   "given, without the suffix (default: print to stdout).")
@output_options("json")
@no_ocr_option
def extract(paths: tuple[Path, ...], out_dir: Path | None, fmt: str, no_ocr: bool) -> None:
    """Read, normalize, parse and extract PATHS (files or folders of .txt/.html/.md, and the
    formats kg.formats reads).

    Without --out, the records are printed to stdout: a JSON array of one record per file
    (however many files), or with --nl one record per line, each printed as soon as it is
    extracted.
    """
    from kg.pipeline import Skipped, iter_documents

    failed: list[ReadError] = []
    skipped: list[ReadError] = []

    def report(err: ReadError) -> None:
        (skipped if isinstance(err, Skipped) else failed).append(err)
        click.echo(str(err), err=True)

    records = []
    count = 0
    try:
        if out_dir:
            out_dir.mkdir(parents=True, exist_ok=True)
        for doc in iter_documents(paths, report, ocr=False if no_ocr else None):
            record = doc.to_json()
            if out_dir:
                write_record(out_dir, doc.doc_id, json_text(record))
            elif fmt == "nl":
                echo_json([record], fmt)  # streamed: a long batch shows its first record at once
            else:
                records.append(record)
            count += 1
    except OSError as e:  # --out under a regular file, a full disk: the batch cannot go on
        raise click.ClickException(f"{cannot_write(e.filename or out_dir or '.', e)} "
                                   f"({count} document(s) written)") from None
    if not out_dir and fmt != "nl":
        echo_json(records, fmt)  # always an array: the shape does not depend on how many files
    elif out_dir:
        click.echo(f"{count} document(s) written to {out_dir}", err=True)
    if skipped:
        click.echo(f"{len(skipped)} file(s) skipped", err=True)
    if failed:
        click.echo(f"{len(failed)} file(s) could not be read", err=True)
    if failed or skipped:
        sys.exit(1)


def write_record(out_dir: Path, doc_id: str, text: str) -> None:
    """out_dir/<id>.json, through a temporary file: never a half-written record."""
    target = out_dir / record_path(doc_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{hashlib.sha1(target.name.encode()).hexdigest()[:16]}.tmp"
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


def record_path(doc_id: str) -> Path:
    """`<document id>.json`: sub-folders for an id with a path ("2023/a" -> 2023/a.json),
    each part shortened to fit the file system."""
    *folders, name = doc_id.split("/")
    return Path(*[fit_name(f) for f in folders], fit_name(name, ".json"))


def fit_name(stem: str, suffix: str = "", limit: int = 240) -> str:
    """`<stem><suffix>`, shortened with a hash when it would pass the file-system limit of
    255 bytes (real law titles do)."""
    if len(stem.encode("utf-8")) + 5 <= limit:
        return f"{stem}{suffix}"
    digest = hashlib.sha1(stem.encode("utf-8")).hexdigest()[:10]
    cut = stem.encode("utf-8")[: limit - 16].decode("utf-8", errors="ignore")
    return f"{cut}-{digest}{suffix}"
