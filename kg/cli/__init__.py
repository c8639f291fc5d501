"""`kg`: the command line. Each command lives in the module for its area; this file
only builds the group, so commands read like prose in `kg --help`."""

from __future__ import annotations

import click

from kg import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """policy-kg: Chinese government plans into a knowledge graph of plans, units and
    commitments."""


def _register() -> None:
    # Imported for their side effect of adding commands to `main`.
    import kg.cli.viz  # noqa: F401  (plain import: sorts ahead of the from-imports)
    from kg.cli import extract  # noqa: F401


_register()
