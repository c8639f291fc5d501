"""Canned questions over either store: `queries/NAME.rq` (SPARQL) and `queries/NAME.cypher`
answer the same question with the same columns, described in `queries/manifest.toml`.

    from kg.store import open_store
    from kg import query
    with open_store("kg-store", read_only=True) as store:
        rows = query.run(store, "school-construction-units")
        frame = query.run_frame(store, "unit-measures", {"unit": "区教委"})  # needs pandas

`run()` takes the embedded store (`kg.store.open_store`, or a bare `pyoxigraph.Store`) or a
`kg.store.neo4j.Neo4jStore`. Parameters are typed by the manifest and reach the engine as
bindings, never as query text: SPARQL gets `?param_NAME` through pyoxigraph's substitutions
(SEP-0007: the variable is replaced by the value, which is why every `.rq` projects its
`?param_…` variables), Cypher gets `$NAME`. Values come back plain and equal on both engines:
IRIs and literals as `str`, counts and years as `int`, decimals as int when whole else float,
lists as sorted distinct strings.
"""

from __future__ import annotations

import difflib
import logging
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pyoxigraph as ox

from kg.rules import data_path

QUERIES_DIR = data_path("queries")
MANIFEST = QUERIES_DIR / "manifest.toml"
PARAM_PREFIX = "param_"  # SPARQL variable of a parameter: ?param_NAME
LIST_SEPARATOR = "\x1f"  # what the SPARQL side joins list columns with (GROUP_CONCAT)
PARAM_TYPES = ("str", "int")
COLUMN_TYPES = ("str", "int", "number", "bool", "list", "doc", "docs")

Row = dict[str, Any]
# The driver logs every server notification as a warning; ours are deliberate (count() of a
# CASE without ELSE skips nulls on purpose, an optional property may be absent everywhere).
_NOTIFICATIONS = logging.getLogger("neo4j.notifications")


class QueryError(Exception):
    """A one-line reason a canned query cannot run: unknown name, bad parameter, engine error."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: Any = None
    required: bool = False
    help: str = ""


@dataclass(frozen=True)
class Column:
    name: str
    type: str


@dataclass(frozen=True)
class CannedQuery:
    name: str
    question_zh: str
    question_en: str
    params: tuple[Param, ...]
    columns: tuple[Column, ...]
    order_by: tuple[str, ...]
    sparql: str
    cypher: str

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def text(self, backend: str) -> str:
        return self.cypher if backend == "neo4j" else self.sparql


# --- the manifest ----------------------------------------------------------------------------

def _param(query: str, raw: Mapping[str, Any]) -> Param:
    name, kind = str(raw.get("name", "")), str(raw.get("type", "str"))
    if not name.isidentifier():
        raise QueryError(f"queries/manifest.toml: {query}: parameter name {name!r} is not an identifier")
    if kind not in PARAM_TYPES:
        raise QueryError(f"queries/manifest.toml: {query}: parameter {name} has unknown type {kind!r}")
    required = "default" not in raw
    default = None if required else _coerce(query, name, kind, raw["default"])
    return Param(name, kind, default, required, str(raw.get("help", "")))


def _load(directory: Path) -> dict[str, CannedQuery]:
    manifest = directory / "manifest.toml"
    try:
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise QueryError(f"cannot read {manifest}: {e}") from None
    out: dict[str, CannedQuery] = {}
    for name, entry in data.items():
        columns = tuple(Column(str(c["name"]), str(c.get("type", "str"))) for c in entry.get("columns", []))
        for c in columns:
            if c.type not in COLUMN_TYPES:
                raise QueryError(f"{manifest}: {name}: column {c.name} has unknown type {c.type!r}")
        texts = {}
        for ext in ("rq", "cypher"):
            path = directory / f"{name}.{ext}"
            try:
                texts[ext] = path.read_text(encoding="utf-8")
            except OSError as e:
                raise QueryError(f"{name}: cannot read {path}: {e.strerror}") from None
        out[name] = CannedQuery(
            name=name,
            question_zh=str(entry.get("question_zh", "")),
            question_en=str(entry.get("question_en", "")),
            params=tuple(_param(name, p) for p in entry.get("params", [])),
            columns=columns,
            order_by=tuple(entry.get("order_by", ())),
            sparql=texts["rq"],
            cypher=texts["cypher"],
        )
    return out


@lru_cache(maxsize=4)
def _cached(directory: str) -> dict[str, CannedQuery]:
    return _load(Path(directory))


def load_manifest(directory: Path | str = QUERIES_DIR) -> dict[str, CannedQuery]:
    """Every canned query by name, in manifest order (read once per process)."""
    return _cached(str(directory))


def get(name: str, directory: Path | str = QUERIES_DIR) -> CannedQuery:
    queries = load_manifest(directory)
    if name not in queries:
        close = difflib.get_close_matches(name, list(queries), n=3, cutoff=0.4)
        hint = f" Did you mean: {', '.join(close)}?" if close else " See `kg queries`."
        raise QueryError(f"no canned query named {name!r}.{hint}")
    return queries[name]


# --- parameters ------------------------------------------------------------------------------

def _coerce(query: str, name: str, kind: str, value: Any) -> int | str:
    if kind == "int":
        if isinstance(value, bool):
            raise QueryError(f"{query}: parameter {name} must be a whole number, not {value!r}")
        if isinstance(value, int):
            return value
        try:
            return int(str(value).strip())
        except ValueError:
            raise QueryError(f"{query}: parameter {name} must be a whole number, not {value!r}") from None
    text = "" if value is None else str(value)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # bytes from the command line that are not UTF-8
        raise QueryError(f"{query}: parameter {name} is not valid UTF-8 text: "
                         f"{text.encode('utf-8', 'surrogateescape')!r}") from None
    return text


def coerce_params(query: CannedQuery, given: Mapping[str, Any] | None = None) -> dict[str, int | str]:
    """Every declared parameter with its value: the given one typed by the manifest, else the
    default. Unknown names and missing required values are errors, not silently ignored."""
    given = dict(given or {})
    known = {p.name for p in query.params}
    unknown = sorted(set(given) - known)
    if unknown:
        accepted = ", ".join(sorted(known)) or "none"
        raise QueryError(f"{query.name}: unknown parameter {', '.join(unknown)} (accepted: {accepted})")
    out: dict[str, int | str] = {}
    for p in query.params:
        if p.name in given:
            out[p.name] = _coerce(query.name, p.name, p.type, given[p.name])
        elif p.required:
            raise QueryError(f"{query.name}: parameter {p.name} is required ({p.help or p.type})")
        else:
            out[p.name] = p.default
    return out


def _literal(value: int | str) -> ox.Literal:
    return ox.Literal(value) if isinstance(value, int) else ox.Literal(str(value))


# --- values ----------------------------------------------------------------------------------

def _number(value: Any) -> int | float | None:
    if value is None:
        return None
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        return None
    if not d.is_finite():
        return float(d)
    return int(d) if d == d.to_integral_value() else float(d)


def _int(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    try:
        return int(text)
    except ValueError:
        n = _number(text[:5] if text.startswith("-") else text[:4])  # gYear, gYearMonth, date
        return int(n) if n is not None else None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    iso = getattr(value, "iso_format", None)  # neo4j.time.Date and friends
    if callable(iso):
        return str(iso())
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        items = value.split(LIST_SEPARATOR)
    elif isinstance(value, list | tuple | set):
        items = [_text(v) for v in value]
    else:
        items = [_text(value)]
    return sorted({i for i in items if i})


def _bool(value: Any) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "1")


def _doc(value: Any) -> str | None:
    """A document id as the IRI carries it, percent-encoded (2023%2Fa): as given (2023/a)."""
    text = _text(value)
    return unquote(text) if text is not None else None


def _docs(value: Any) -> list[str]:
    return sorted({unquote(v) for v in _list(value)})


_NORMALISE = {"str": _text, "int": _int, "number": _number, "bool": _bool, "list": _list, "doc": _doc,
              "docs": _docs}


def _term_value(term: Any) -> Any:
    """A pyoxigraph term as its lexical value; the column type does the rest."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def normalise(query: CannedQuery, row: Mapping[str, Any]) -> Row:
    """One row with exactly the manifest's columns, in order, as plain Python values."""
    return {c.name: _NORMALISE[c.type](row.get(c.name)) for c in query.columns}


# --- running ---------------------------------------------------------------------------------

def backend_of(store: Any) -> str:
    """"neo4j" for a Neo4jStore (anything with a Bolt driver and query()), else "oxigraph"."""
    if getattr(store, "backend", None) == "neo4j":
        return "neo4j"
    if hasattr(store, "driver") and callable(getattr(store, "query", None)):
        return "neo4j"
    return "oxigraph"


def oxigraph_store(store: Any) -> ox.Store:
    """The pyoxigraph Store behind an OxigraphStore (or the Store itself)."""
    if isinstance(store, ox.Store):
        return store
    inner = getattr(store, "store", None)
    if isinstance(inner, ox.Store):
        return inner
    raise QueryError(f"cannot run SPARQL on a {type(store).__name__}: expected kg.store.open_store(...)")


def _run_sparql(store: Any, query: CannedQuery, params: Mapping[str, int | str]) -> list[Row]:
    from kg.store.oxigraph import uses_federation

    if uses_federation(query.sparql):  # a canned query never needs another server
        raise QueryError(f"{query.name}.rq uses SERVICE (a federated query): refused")
    subs = {ox.Variable(PARAM_PREFIX + k): _literal(v) for k, v in params.items()}
    try:
        # Documents live in named graphs; the union default graph is what every .rq reads.
        result = oxigraph_store(store).query(query.sparql, use_default_graph_as_union=True,
                                        substitutions=subs or None)
    except (SyntaxError, OSError, RuntimeError) as e:
        raise QueryError(f"{query.name}: SPARQL failed: {_first_line(e)}") from None
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError(f"{query.name}: the .rq file must be a SELECT query")
    names = {v.value for v in result.variables}
    missing = [c for c in query.column_names if c not in names]
    if missing:
        raise QueryError(f"{query.name}.rq does not return column(s) {', '.join(missing)}")
    try:  # solutions are computed while iterating: a damaged store shows here
        return [normalise(query, {c: _term_value(s[c]) for c in query.column_names}) for s in result]
    except (OSError, RuntimeError) as e:
        raise QueryError(f"{query.name}: SPARQL failed: {_first_line(e)}") from None


def _run_cypher(store: Any, query: CannedQuery, params: Mapping[str, int | str]) -> list[Row]:
    level = _NOTIFICATIONS.level
    _NOTIFICATIONS.setLevel(logging.ERROR)
    try:
        records = store.query(query.cypher, dict(params))
    except Exception as e:  # the store already words its errors (Neo4jError), password-free
        raise QueryError(f"{query.name}: Cypher failed: {_first_line(e)}") from None
    finally:
        _NOTIFICATIONS.setLevel(level)
    if records:
        missing = [c for c in query.column_names if c not in records[0]]
        if missing:
            raise QueryError(f"{query.name}.cypher does not return column(s) {', '.join(missing)}")
    return [normalise(query, r) for r in records]


def run(store: Any, name: str, params: Mapping[str, Any] | None = None) -> list[Row]:
    """The rows answering canned query `name` on `store` (either backend)."""
    query = get(name)
    values = coerce_params(query, params)
    if backend_of(store) == "neo4j":
        return _run_cypher(store, query, values)
    return _run_sparql(store, query, values)


def run_frame(store: Any, name: str, params: Mapping[str, Any] | None = None) -> Any:
    """The rows as a pandas DataFrame with the manifest's columns (pandas is optional)."""
    try:
        import pandas as pd
    except ImportError as e:
        raise QueryError("run_frame needs pandas: pip install pandas") from e
    rows = run(store, name, params)
    return pd.DataFrame(rows, columns=get(name).column_names)


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__


__all__ = ["CannedQuery", "Column", "Param", "QueryError", "backend_of", "coerce_params", "get",
           "load_manifest", "normalise", "oxigraph_store", "run", "run_frame"]
