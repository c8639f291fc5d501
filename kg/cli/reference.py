"""The CLI reference in README.md: every command's `--help`, between two markers.

`scripts/cli-reference` rewrites the section; tests/test_cli.py fails when it is stale, so
the README says what `--help` says (as sqlite-utils' docs do with cog).
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

START = "<!-- cli-reference start: scripts/cli-reference writes this section, do not edit -->"
END = "<!-- cli-reference end -->"
WIDTH = 100  # help text wrapped at a fixed width, whatever the terminal that regenerates it
README = Path(__file__).resolve().parents[2] / "README.md"


def _help(args: list[str]) -> str:
    from kg.cli import main

    # no KG_STORE/NEO4J_* from the caller's environment may change what is printed
    env = {"KG_STORE": None, "NEO4J_URI": None, "NEO4J_USERNAME": None, "NEO4J_PASSWORD": None,
           "NEO4J_DATABASE": None}
    result = CliRunner(env=env).invoke(main, [*args, "--help"], prog_name="kg", terminal_width=WIDTH)
    if result.exit_code != 0:
        raise RuntimeError(f"kg {' '.join(args)} --help failed: {result.output}")
    return result.stdout.rstrip() + "\n"


def render() -> str:
    """The section, markers included: `kg --help`, then each command's, in name order."""
    from kg.cli import main

    parts = [START, "", "```", "$ kg --help", _help([]).rstrip(), "```"]
    for name in sorted(main.commands):
        parts += ["", f"### kg {name}", "", "```", f"$ kg {name} --help", _help([name]).rstrip(), "```"]
    return "\n".join([*parts, "", END])


def current(text: str) -> str | None:
    """The section as README.md has it, or None without markers."""
    if START not in text or END not in text:
        return None
    return text[text.index(START): text.index(END) + len(END)]


def update(path: Path = README) -> bool:
    """Rewrite the section in `path`; True when it changed."""
    text = path.read_text(encoding="utf-8")
    old = current(text)
    if old is None:
        raise RuntimeError(f"{path} has no {START!r} … {END!r} section")
    new = render()
    if new == old:
        return False
    path.write_text(text.replace(old, new), encoding="utf-8")
    return True
