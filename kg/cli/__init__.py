"""`kg`: the command line. Each command lives in the module for its area; this file
only builds the group, so commands read like prose in `kg --help`."""

from __future__ import annotations

import importlib

import click

from kg import __version__

# Command modules, each adding its commands to `main` when imported.
COMMAND_MODULES = ("extract", "explain", "store", "neo4j", "queries", "viz")


class _Group(click.Group):
    """Errors every command can meet (a broken loaders/*.toml) as one line, exit 2."""

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        from kg.rules import RulesError

        try:
            return super().invoke(ctx)
        except RulesError as e:
            click.echo(f"error: {e}", err=True)
            ctx.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """policy-kg: Chinese government plans into a knowledge graph of plans, units and
    commitments."""


def _register() -> None:
    for name in COMMAND_MODULES:
        module = f"kg.cli.{name}"
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as e:
            if e.name != module:  # a real missing dependency, not an area not built yet
                raise


_register()
