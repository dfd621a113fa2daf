"""Data commands: import, export, backup, restore, copy between stores, CSV templates."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Iterator

import click

from ..config import Settings
from ..io import csv_tables, json_backup, transfer
from ..io.graph_files import GEXF_VERSIONS
from ..io import openreferral
from ..io.openreferral import feed
from ..io.files import overwriting
from ..io.loading import load
from ..io.mapping import Mapping
from ..io.source_ids import give_ids
from ..io.report import ImportReport
from ..store.base import Progress, Store, open_store
from .support import fail, guarded, run

#: Show a progress bar only for work at least this big.
PROGRESS_FROM = 2000


@contextlib.contextmanager
def _progress(total: int, label: str) -> Iterator[Progress | None]:
    """A progress bar on standard error for long work; nothing for short work."""
    if total < PROGRESS_FROM:
        yield None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update


#: The option every command that writes a file shares.
FORCE = click.option("--force", is_flag=True, help="Overwrite an existing file (never a link, device or folder).")

#: The option every command that loads records shares.
BRING_BACK = click.option(
    "--bring-back-erased", "bring_back", metavar="REASON",
    help="Admins only: load erased people too, giving the reason (audited). Without it they are left out.")


def _show(report: ImportReport) -> None:
    """Print the report; fail with one line when rows were rejected."""
    ok = report.ok
    if report.brought_back:
        click.echo(f"Brought back {len(report.brought_back):,} erased record(s), as asked; the reason is audited.", err=True)
    for line in report.lines():
        click.echo(line, err=not ok)
    if not ok:
        fail(f"{report.rejected_total:,} row(s) rejected; nothing was written")
    if report.dry_run:
        click.echo("Dry run: nothing was written.")
    elif report.written and report.after is not None:
        a = report.after
        click.echo(
            f"Imported. The store now holds {a.people:,} people, {a.organisations:,} organisations, "
            f"{a.ties:,} ties and {a.introductions:,} introductions."
        )


def _import(
    ctx: click.Context, path: Path, fmt: str | None, *, dry_run: bool, require_empty: bool,
    mapping: Mapping | None = None, bring_back: str | None = None,
) -> None:
    def action(store: Store) -> ImportReport:
        click.echo(f"Reading {path} ({fmt or 'format recognised from its content'})...", err=True)
        stated = json_backup.stated_total(path) if fmt == "json" else None
        with _progress(stated or 0, "Checking") as tick:
            parsed = transfer.read_import(store, path, fmt, progress=tick, mapping=mapping)
        with _progress(len(parsed.batch), "Writing") as tick:
            return load(store, parsed, dry_run=dry_run, require_empty=require_empty, progress=tick,
                        bring_back_erased=bring_back)

    _show(run(ctx, action))


def _import_feed(ctx: click.Context, url: str, fmt: str | None, *, dry_run: bool, bring_back: str | None = None) -> None:
    """Import a live Open Referral UK API, page by page, all or nothing."""
    if fmt not in (None, "openreferral"):
        fail("a web address is read as an Open Referral UK API: leave out --format, or use --format openreferral")

    def action(store: Store) -> ImportReport:
        click.echo(f"Reading the Open Referral API at {url}...", err=True)
        wards = [w.name for w in store.list_wards()]
        parsed = feed.read_openreferral_api(url, wards, say=lambda line: click.echo(line, err=True))
        parsed = openreferral.compare_with_store(store, give_ids(store, parsed))
        return load(store, parsed, dry_run=dry_run, bring_back_erased=bring_back)

    _show(run(ctx, action))


@click.command("import")
@click.argument("path", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(transfer.IMPORT_FORMATS, case_sensitive=False),
              help="Force a format instead of recognising it from the content: kumu (.xlsx, JSON blueprint or "
              "folder of two CSVs), csv (folder of our templates), openreferral (folder of CSVs or JSON), graphml, "
              "gexf, gml, pajek, gephi (Gephi's CSV tables), json (our backup).")
@click.option("--type-map", metavar="WORD=TYPE,...",
              help='What other tools\' element types become, e.g. "State=organisation,Founder=connector".')
@click.option("--default-type", type=click.Choice(["person", "organisation"], case_sensitive=False),
              help="What an element of an unknown or missing type becomes (default: person).")
@click.option("--dry-run", is_flag=True, help="Check everything and report, but write nothing.")
@BRING_BACK
@click.pass_context
def import_(
    ctx: click.Context, path: str, fmt: str | None, type_map: str | None, default_type: str | None, dry_run: bool,
    bring_back: str | None,
) -> None:
    """Import a file or folder: all of it, or nothing if any row is rejected.

    The format is recognised from the content unless --format is given.
    PATH may also be the base address of an Open Referral UK API
    (https://...), whose services are read page by page.
    Importing the same file again changes nothing. People who were erased
    are left out and listed (the erasure register).
    """
    if feed.is_url(path):
        return _import_feed(ctx, path, fmt and fmt.lower(), dry_run=dry_run, bring_back=bring_back)
    mapping = guarded(ctx.obj, lambda: Mapping.from_options(type_map, default_type))
    _import(ctx, Path(path), fmt.lower() if fmt else None, dry_run=dry_run, require_empty=False, mapping=mapping,
            bring_back=bring_back)


def _export(
    ctx: click.Context, path: Path, fmt: str, pseudonymise: bool = False, gexf_version: str = "1.2draft",
    force: bool = False,
) -> None:
    def action(store: Store) -> transfer.ExportResult:
        total = transfer.records_in(store.counts())
        with _progress(total, "Exporting") as tick:
            return transfer.export_file(
                store, path, fmt, progress=tick, pseudonymise=pseudonymise, gexf_version=gexf_version, force=force
            )

    result = run(ctx, action)
    if result.counts is not None:
        c = result.counts
        what = f"{c.people:,} people, {c.organisations:,} organisations, {c.ties:,} ties, {c.introductions:,} introductions"
    else:
        what = f"{result.nodes:,} nodes and {result.edges:,} edges"
    where = result.paths[0] if len(result.paths) == 1 else result.paths[0].parent
    click.echo(f"Wrote {what} to {where}.")


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "fmt", required=True, type=click.Choice(transfer.EXPORT_FORMATS, case_sensitive=False),
              help="json (full backup), csv (folder, one file per entity), kumu (.xlsx), kumu-json (a Kumu "
              "blueprint), graphml, gexf or gml (actors and ties, for Gephi, yEd and other graph tools), "
              "openreferral-json (organisations and offers as ORUK 3.0).")
@click.option("--pseudonymise/--named", "pseudonymise", default=True, show_default=True,
              help="Pseudonymised (the default): people's names and all ids replaced with pseudonyms new to this "
              "export, free text dropped. --named keeps names and is recorded as such in the audit log.")
@click.option("--gexf-version", type=click.Choice(GEXF_VERSIONS), default="1.2draft", show_default=True,
              help="The GEXF version to write (Gephi 0.9 and later read all three).")
@FORCE
@click.pass_context
def export(ctx: click.Context, path: Path, fmt: str, pseudonymise: bool, gexf_version: str, force: bool) -> None:
    """Export the whole network to a file (or, for csv, a folder), pseudonymised unless --named.

    People whose consent was withdrawn or whose record is restricted are left
    out of every export but the full backup ('backup').
    """
    _export(ctx, path, fmt.lower(), pseudonymise, gexf_version, force)


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@FORCE
@click.pass_context
def backup(ctx: click.Context, file: Path, force: bool) -> None:
    """Back up everything (wards, people, organisations, ties, introductions, erasure register) to one JSON file."""
    _export(ctx, file, "json", force=force)


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--merge", is_flag=True, help="Restore into a store that already holds records, combining them.")
@click.option("--dry-run", is_flag=True, help="Check the backup and report, but write nothing.")
@BRING_BACK
@click.pass_context
def restore(ctx: click.Context, file: Path, merge: bool, dry_run: bool, bring_back: str | None) -> None:
    """Restore a backup made by 'backup' into an empty store (or, with --merge, any store).

    The backup's erasure register is restored too and applied; people erased
    since (in this store's register) are left out and listed.
    """
    _import(ctx, file, "json", dry_run=dry_run, require_empty=not merge, bring_back=bring_back)


@click.command()
@click.option("--from", "source_url", required=True, metavar="URL", help="The store to copy from.")
@click.option("--to", "target_url", required=True, metavar="URL", help="The store to copy into (empty unless --merge).")
@click.option("--merge", is_flag=True, help="Copy into a store that already holds records.")
@click.option("--dry-run", is_flag=True, help="Check and report, but write nothing.")
@BRING_BACK
@click.pass_context
def copy(ctx: click.Context, source_url: str, target_url: str, merge: bool, dry_run: bool, bring_back: str | None) -> None:
    """Copy a whole network from one store to another (SQLite and Neo4j either way)."""
    settings = Settings.from_env()

    def action() -> ImportReport:
        source = open_store(source_url, settings)
        try:
            target = open_store(target_url, settings)
            try:
                total = transfer.records_in(source.counts())
                with _progress(2 * total, "Copying") as tick:
                    return transfer.copy_store(source, target, merge=merge, dry_run=dry_run, progress=tick,
                                               bring_back_erased=bring_back)
            finally:
                target.close()
        finally:
            source.close()

    _show(guarded(ctx.obj, action))


@click.command()
@click.argument("folder", type=click.Path(path_type=Path))
@FORCE
@click.pass_context
def templates(ctx: click.Context, folder: Path, force: bool) -> None:
    """Write the CSV import templates, each with example rows, into FOLDER."""
    def action() -> list[Path]:
        with overwriting(force):
            return csv_tables.write_templates(folder)

    written = guarded(ctx.obj, action)
    click.echo(f"Wrote {', '.join(p.name for p in written)} to {folder}.")


COMMANDS = [import_, export, backup, restore, copy, templates]
