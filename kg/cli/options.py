"""What every command shares: one `--store` option, one `--format`/`--nl` pair, one way to
print JSON and to open the store.

Modelled on sqlite-utils' `output_options`: a command declares which formats it offers and
gets the same flags, help texts and JSON layout as every other. Nothing heavy is imported
here (no pyoxigraph, rich, networkx): `kg --help` imports every command module, and it must
stay fast.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

# kg.store.DEFAULT_STORE says the same; importing kg.store here would load pyoxigraph.
DEFAULT_STORE = Path("kg-store")
JSON_INDENT = 2  # every command's JSON is laid out alike
STORE_HELP = "Folder of the embedded Oxigraph store."

F = TypeVar("F", bound=Callable[..., Any])


def store_option(f: F) -> F:
    """--store DIR (default ./kg-store, or $KG_STORE): the same option in every command."""
    return click.option(
        "--store", "store_dir", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
        default=DEFAULT_STORE,
        show_default=True, envvar="KG_STORE", show_envvar=True, help=STORE_HELP)(f)


def no_ocr_option(f: F) -> F:
    """--no-ocr, for the commands that read documents (`kg build`, `kg extract`)."""
    return click.option("--no-ocr", is_flag=True,
                        help="Do not run OCR (Tesseract) on scanned PDF pages and images: pages "
                             "without a text layer are left out, with a warning.")(f)


def output_options(*formats: str, default: str | None = None) -> Callable[[F], F]:
    """--format (one of `formats`, the first by default; no option when there is only one)
    and, when json is among them, --nl for JSON lines. The command receives one `fmt`
    argument: "nl" when --nl was given."""
    default = default or formats[0]
    with_nl = "json" in formats

    def decorate(f: F) -> F:
        @functools.wraps(f)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            kwargs.setdefault("fmt", default)
            if kwargs.pop("nl", False):
                if kwargs["fmt"] not in (default, "json"):
                    raise click.UsageError(f"--nl (JSON lines) does not go with --format {kwargs['fmt']}")
                kwargs["fmt"] = "nl"
            return f(*args, **kwargs)

        wrapped: Any = wrapper
        if with_nl:
            wrapped = click.option("--nl", is_flag=True,
                                   help="JSON lines: one compact JSON object per line.")(wrapped)
        if len(formats) > 1:
            wrapped = click.option("--format", "fmt", type=click.Choice(list(formats)), default=default,
                                   show_default=True, help="Output format.")(wrapped)
        return wrapped  # type: ignore[no-any-return]

    return decorate


def json_text(value: Any) -> str:
    """The JSON layout of every command: Chinese as is, indented by JSON_INDENT."""
    return json.dumps(value, ensure_ascii=False, indent=JSON_INDENT)


def echo_json(records: Iterable[Any], fmt: str) -> None:
    """`records` as one JSON array (fmt json) or one object per line (fmt nl)."""
    if fmt == "nl":
        for record in records:
            click.echo(json.dumps(record, ensure_ascii=False))
    else:
        click.echo(json_text(list(records)))


def echo_object(value: Any, fmt: str) -> None:
    """One JSON object: indented (json) or on one line (nl)."""
    click.echo(json.dumps(value, ensure_ascii=False) if fmt == "nl" else json_text(value))


def deprecated_json_flag(f: F) -> F:
    """The old `--json` flag, hidden: the same as `--format json`, with a note on stderr."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if kwargs.pop("as_json", False):
            click.echo("note: --json is deprecated, use --format json", err=True)
            if kwargs["fmt"] != "nl":
                kwargs["fmt"] = "json"
        return f(*args, **kwargs)

    return click.option("--json", "as_json", is_flag=True, hidden=True)(wrapper)  # type: ignore[return-value]


@contextmanager
def opened(store_dir: Path, read_only: bool = True) -> Iterator[Any]:
    """The embedded store; every failure (missing, locked, damaged, a full disk on the last
    flush) ends as one line and exit code 1."""
    if read_only and not store_dir.exists():
        raise click.ClickException(f"no store at {store_dir}: build one first (kg build PATHS), "
                                   "or pass --store DIR")
    from kg.store import open_store  # loads pyoxigraph: only when a command reads a store
    from kg.store.oxigraph import as_store_error

    try:
        store = open_store(store_dir, read_only=read_only)
    except Exception as e:  # StoreError and friends carry a one-line reason
        raise click.ClickException(_one_line(as_store_error(store_dir, e), store_dir)) from None
    try:
        try:
            yield store
        finally:
            store.close()  # the last flush: a full disk says so here
    except (OSError, RuntimeError) as e:  # a damaged store, met while iterating results
        raise click.ClickException(_one_line(as_store_error(store_dir, e), store_dir)) from None
    except click.ClickException:
        raise
    except Exception as e:
        # a StoreError from the last flush; looked up, not imported: tests stand in for kg.store
        store_error = getattr(sys.modules.get("kg.store"), "StoreError", None)
        if isinstance(store_error, type) and isinstance(e, store_error):
            raise click.ClickException(_one_line(e, store_dir)) from None
        raise


def _one_line(e: BaseException, store_dir: Path) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else f"cannot open the store at {store_dir}"
