"""Data-protection commands: subject access and retention."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from .support import DATE, run


@click.command("subject-access")
@click.argument("person_id", metavar="ID")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path),
              help="Where to write the JSON (.json is added if missing); a readable .md version is written beside it.")
@click.option("--force", is_flag=True, help="Overwrite existing report files.")
@click.pass_context
def subject_access(ctx: click.Context, person_id: str, out: Path, force: bool) -> None:
    """Everything held about one person, others pseudonymised (a subject access request)."""
    from .. import privacy
    from ..io.files import check_target, overwriting, safe_output

    if out.suffix.lower() != ".json":  # x.md would otherwise be overwritten by its own readable version
        out = out.with_name(out.name + ".json")
    readable = out.with_suffix(".md")

    def action(store: Any) -> None:
        with overwriting(force):
            check_target(out)
            check_target(readable)
            report = privacy.subject_access(store, person_id)
            with safe_output(out) as handle:
                handle.write(json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n")
            with safe_output(readable) as handle:
                handle.write(privacy.render_subject_access(report))

    run(ctx, action)
    click.echo(f"Wrote {out} and {readable}.")


@click.command()
@click.option("--dry-run", "mode", flag_value="dry-run", default=True, help="List who is due (the default).")
@click.option("--apply", "mode", flag_value="apply", help="Erase everyone who is due.")
@click.option("--months", type=click.IntRange(1, 1200), envvar="CONNECTOR_GRAPH_RETENTION_MONTHS", default=24,
              show_default=True, help="Keep a person this long after their last activity (or set retain-until).")
@click.option("--today", type=DATE, help="Judge as of this date (default today).")
@click.option("--json", "as_json", is_flag=True, help="Print the review as JSON.")
@click.pass_context
def retention(ctx: click.Context, mode: str, months: int, today: Any, as_json: bool) -> None:
    """List, or erase, the people due for erasure under the retention policy."""
    from .. import privacy

    review = run(ctx, lambda store: privacy.retention_review(store, months=months, today=today))
    if as_json:
        click.echo(review.model_dump_json())
    else:
        for item in review.due:
            click.echo(f"due   {item.id}\t{item.due_on}\t{item.reason}")
        for item in review.undated:
            click.echo(f"check {item.id}\t-\t{item.reason}")
        click.echo(f"{len(review.due):,} due for erasure; {len(review.undated):,} with no date to judge by.", err=True)
    if mode == "apply":
        erased = run(ctx, lambda store: privacy.apply_retention(store, review))
        click.echo(f"Erased {erased:,} people with their ties and introductions.", err=True)


@click.command("lawful-basis")
@click.option("--missing", is_flag=True, required=True,
              help="Act on the people held without a lawful basis (written by older versions).")
@click.option("--set", "basis", metavar="BASIS",
              help="Give each of them this basis (e.g. legitimate_interests), audited per person; without it, list them.")
@click.option("--json", "as_json", is_flag=True, help="Print the ids as JSON.")
@click.pass_context
def lawful_basis(ctx: click.Context, missing: bool, basis: str | None, as_json: bool) -> None:
    """List the people held without a lawful basis, or give them one (--set)."""
    from .. import lawful

    if basis is None:
        people = run(ctx, lawful.missing_lawful_basis)
        if as_json:
            click.echo(json.dumps([p.id for p in people]))
        else:
            for person in people:
                click.echo(f"{person.id}\t{person.name}")
        click.echo(f"{len(people):,} people have no lawful basis recorded"
                   + ("; give them one with --set BASIS." if people else "."), err=True)
        return
    changed = run(ctx, lambda store: lawful.set_missing_lawful_basis(store, basis))
    if as_json:
        click.echo(json.dumps(changed))
    click.echo(f"Set the lawful basis of {len(changed):,} people to {lawful.parse_basis(basis).value}.", err=True)


COMMANDS = [subject_access, retention, lawful_basis]
