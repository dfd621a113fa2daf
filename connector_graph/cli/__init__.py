"""The ``connector-graph`` command line.

Every command opens the store named by ``--store`` (or ``CONNECTOR_GRAPH_STORE``,
or the embedded default), makes one library call and prints the result.
Errors are one line on standard error and exit code 1; ``--debug`` shows the
full trace for bug reports.

Commands live in small modules of this package, imported only when used.
"""

from __future__ import annotations

import importlib
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

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_MODULE_OF)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List the commands from :data:`SUMMARIES`, as click would, without importing their modules.

        Importing every command's module (pandas, networkx, the analysis)
        to print one line each made ``--help`` take over a second.
        """
        from click.utils import make_default_short_help

        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        with formatter.section("Commands"):
            formatter.write_dl([(name, make_default_short_help(SUMMARIES[name], limit)) for name in names])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import a command's module only when that command is used: logging stays quick to start."""
        module_name = _MODULE_OF.get(cmd_name)
        if module_name is None:
            return None
        module = importlib.import_module(f"{__name__}.{module_name}")
        return next(c for c in module.COMMANDS if c.name == cmd_name)


#: Which module of this package holds each command.
_MODULE_OF = {
    **dict.fromkeys(
        ["seed", "stats", "add-person", "add-org", "tie", "introduce", "follow-up", "search", "show", "erase", "audit"],
        "core",
    ),
    "analyse": "analysis",
    "suggest": "suggest",
    "gaps": "gaps",
    **dict.fromkeys(["import", "export", "backup", "restore", "copy", "templates"], "data"),
    **dict.fromkeys(["subject-access", "retention", "lawful-basis"], "privacy"),
    "user": "users",
}


#: Each command's first paragraph of help, for the command list of ``--help`` (a test keeps them equal).
SUMMARIES = {
    'add-org': 'Add an organisation; prints its new id last.',
    'add-person': 'Add a person; prints their new id last.',
    'analyse': 'Find the key connectors, the gaps and the communities in the network.',
    'audit': 'Show the audit log: who changed, exported or looked up which record, and when.',
    'backup': 'Back up everything (wards, people, organisations, ties, introductions, erasure register) to one JSON file.',
    'copy': 'Copy a whole network from one store to another (SQLite and Neo4j either way).',
    'erase': 'Erase a person or organisation (by id or whole name) with their ties and introductions.',
    'export': 'Export the whole network to a file (or, for csv, a folder), pseudonymised unless --named.',
    'follow-up': 'Record the status and outcome of an introduction.',
    'gaps': 'Where to send connectors next: weakest wards and their best bridges, organisations with no partner across the statutory / voluntary line, single points of failure and who they hold on, and introductions that went nowhere.',
    'import': 'Import a file or folder: all of it, or nothing if any row is rejected.',
    'introduce': 'Log an introduction; prints its new id last.',
    'lawful-basis': 'List the people held without a lawful basis, or give them one (--set).',
    'restore': "Restore a backup made by 'backup' into an empty store (or, with --merge, any store).",
    'retention': 'List, or erase, the people due for erasure under the retention policy.',
    'search': 'Find people and organisations by name.',
    'seed': 'Load a synthetic city network (no real people) for trying things out.',
    'show': 'Show one person or organisation (by id or whole name) as JSON.',
    'stats': 'Count the people, organisations, ties and introductions held.',
    'subject-access': 'Everything held about one person, others pseudonymised (a subject access request).',
    'suggest': 'Suggest introductions for one or more people (by id or exact name), or across the network.',
    'templates': 'Write the CSV import templates, each with example rows, into FOLDER.',
    'tie': "Record a tie between actors A and B (ids or names); prints the tie's id last.",
    'user': 'Manage local accounts (admins only). Passwords are stored as Argon2id hashes.',
}


#: Commands that may create a new store; every other command reads (or changes) one that exists,
#: so a mistyped path is a one-line error instead of a new empty database.
CREATING = frozenset(
    {"seed", "add-person", "add-org", "tie", "introduce", "follow-up", "erase", "import", "restore", "user"}
)


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
    state = State(store_url, debug, create=ctx.invoked_subcommand in CREATING)
    ctx.obj = state
    ctx.call_on_close(state.close)
