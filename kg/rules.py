"""The rules as data: the loaders/*.toml lexicons, read through one checked layer.

Every extractor reads its words with `rules.load(NAME)`, a read-only view of
loaders/NAME.toml that knows where it came from: a key the code asks for and the file lacks
is a `RulesError` naming the file and the key (`loaders/measures.toml: [columns] lacks
'lead'`), never a KeyError inside some document. `check()` runs every lexicon once, before any
document is read, and also refuses keys that no rule reads (a misspelt key would otherwise
be ignored in silence).

The files ship inside the package (kg/_data/loaders, a link to the repository's loaders/ in
a checkout), so an installed wheel has them. An analyst's own copies override them file by
file: set KG_LOADERS to a folder holding, say, an organizations.toml with a district's
abbreviations.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

_LOADERS: list[Callable[[], Any]] = []
_READ: dict[str, set[tuple[str, ...]]] = {}


class RulesError(Exception):
    """A loaders/*.toml file that cannot be used, in one line naming the file and the key."""


def data_path(*parts: str) -> Path:
    """A data file shipped with the package: loaders/, queries/, ontology/."""
    return Path(str(resources.files("kg").joinpath("_data", *parts)))


def source(name: str) -> Path:
    override = os.environ.get("KG_LOADERS")
    if override and (Path(override) / f"{name}.toml").is_file():
        return Path(override) / f"{name}.toml"
    return data_path("loaders", f"{name}.toml")


def _shown(name: str) -> str:
    path = source(name)
    return f"loaders/{name}.toml" if path == data_path("loaders", f"{name}.toml") else str(path)


@cache
def _parsed(name: str) -> dict[str, Any]:
    path = source(name)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RulesError(f"{_shown(name)}: missing") from None
    except tomllib.TOMLDecodeError as e:
        raise RulesError(f"{_shown(name)}: not valid TOML ({e})") from None
    except (OSError, UnicodeDecodeError) as e:
        raise RulesError(f"{_shown(name)}: cannot be read ({e})") from None


class Rules(Mapping[str, Any]):
    """A read-only table of a loaders file; asking for what it lacks names file and key."""

    def __init__(self, name: str, data: dict[str, Any], path: tuple[str, ...] = ()) -> None:
        self._name, self._data, self._path = name, data, path

    def _where(self, key: str) -> str:
        table = "[" + ".".join(self._path) + "] " if self._path else ""
        return f"{_shown(self._name)}: {table}lacks {key!r}"

    def __getitem__(self, key: str) -> Any:
        if key not in self._data:
            raise RulesError(self._where(key))
        path = (*self._path, key)
        value = self._data[key]
        if not isinstance(value, dict):  # a table read is not a read of everything in it
            _READ.setdefault(self._name, set()).add(path)
        return _wrap(self._name, value, path)

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self._data else default

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def words(self, key: str) -> tuple[str, ...]:
        """A list of strings (the usual shape of a cue list)."""
        value = self[key]
        if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
            where = ".".join((*self._path, key))
            raise RulesError(f"{_shown(self._name)}: {where} must be a list of strings")
        return tuple(value)


def _wrap(name: str, value: Any, path: tuple[str, ...]) -> Any:
    if isinstance(value, dict):
        return Rules(name, value, path)
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return [Rules(name, v, (*path, "*")) for v in value]
    return value


def load(name: str) -> Rules:
    """loaders/NAME.toml as a checked table."""
    return Rules(name, _parsed(name))


def loader(fn: Callable[[], Any]) -> Callable[[], Any]:
    """Marks a module's lexicon function, so `check()` runs it before any document."""
    _LOADERS.append(fn)
    return fn


def check() -> None:
    """Run every lexicon once and refuse keys no rule reads. Raises RulesError."""
    import kg.extract
    import kg.restructure  # noqa: F401
    from kg.ontology import topics_turtle

    _LOADERS_RUN = [*_LOADERS, topics_turtle]

    for fn in _LOADERS_RUN:
        cache_clear = getattr(fn, "cache_clear", None)
        if cache_clear is not None:
            cache_clear()
        try:
            fn()
        except RulesError:
            raise
        except (TypeError, ValueError, AttributeError, KeyError) as e:
            raise RulesError(f"{_module_file(fn)}: a value has the wrong shape ({type(e).__name__}: {e})") \
                from None
    for name, read in _READ.items():
        known = _generalised(read)
        for key in _keys(_parsed(name)):
            if any(key[:len(r)] == r or r[:len(key)] == key for r in known):
                continue
            # a key no rule reads, spelt like one that a rule reads: a typo the rule never sees
            siblings = [r[len(key) - 1] for r in known if len(r) >= len(key) and r[:len(key) - 1] == key[:-1]]
            close = difflib.get_close_matches(key[-1], siblings, n=1, cutoff=0.85)
            if close:
                shown = ".".join(key)
                raise RulesError(f"{_shown(name)}: unknown key {shown!r} (did you mean {close[0]!r}?)")


def _module_file(fn: Callable[[], Any]) -> str:
    names = [n for n, paths in _READ.items() if paths]
    return f"loaders ({', '.join(sorted(names))})" if names else "loaders"


def _keys(data: dict[str, Any], path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for k, v in data.items():
        if isinstance(v, dict) and v and all(k2.isascii() for k2 in v):
            yield from _keys(v, (*path, k))
        else:
            yield (*path, k)


def _generalised(read: set[tuple[str, ...]]) -> set[tuple[str, ...]]:
    # a key read in one [[table]] of a list stands for all of them
    return {tuple(p for p in r if p != "*") if "*" in r else r for r in read} | read


def clear() -> None:
    """Forget the files read (tests that change KG_LOADERS)."""
    _parsed.cache_clear()
    _READ.clear()
