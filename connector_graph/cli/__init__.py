"""The ``connector-graph`` command line.

Every command opens the store named by ``--store`` (or ``CONNECTOR_GRAPH_STORE``,
or the embedded default), makes one library call and prints the result.
Errors are one line on standard error and exit code 1; ``--debug`` shows the
full trace for bug reports.

Commands live in small modules of this package and are registered below.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from .. import __version__
from .support import State, fail

__all__ = ["main"]


class _Group(click.Group):
    """A command group whose usage errors are one line and exit code 1, like every other failure."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except click.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx else "connector-graph"
            fail(f"{exc.format_message()} (see '{where} --help')")
        except click.Abort:
            fail("cancelled; nothing was changed")
        except click.ClickException as exc:
            fail(exc.format_message())
        sys.exit(code if isinstance(code, int) else 0)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--store",
    "store_url",
    envvar="CONNECTOR_GRAPH_STORE",
    metavar="URL",
    help="Where the network is kept: sqlite:///data/connector_graph.db (default), bolt://host:7687 "
    "or neo4j://host:7687. Also read from CONNECTOR_GRAPH_STORE.",
)
@click.option("--debug", is_flag=True, help="Show full error traces (for bug reports).")
@click.version_option(__version__, prog_name="connector-graph")
@click.pass_context
def main(ctx: click.Context, store_url: str | None, debug: bool) -> None:
    """Map the relationships community connectors build.

    Log people, organisations, ties and introductions; load demo data; see
    what the network holds.
    """
    state = State(store_url, debug)
    ctx.obj = state
    ctx.call_on_close(state.close)



def _register() -> None:
    from . import analysis, core, data, privacy, users

    for command in core.COMMANDS:
        main.add_command(command)
    for command in analysis.COMMANDS:
        main.add_command(command)
    for command in data.COMMANDS:
        main.add_command(command)
    for command in privacy.COMMANDS:
        main.add_command(command)
    for command in users.COMMANDS:
        main.add_command(command)


_register()
