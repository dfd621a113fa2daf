"""Data-protection commands: subject access and retention."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from .support import DATE, fail, run


@click.command("subject-access")
@click.argument("person_id", metavar="ID")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Where to write the JSON; a readable .md version is written beside it.")
@click.pass_context
def subject_access(ctx: click.Context, person_id: str, out: Path) -> None:
    """Everything held about one person, others pseudonymised (a subject access request)."""
    from .. import privacy

    report = run(ctx, lambda store: privacy.subject_access(store, person_id))
    readable = out.with_suffix(".md")
    try:
        out.write_text(json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        readable.write_text(privacy.render_subject_access(report), encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write the report: {exc}")
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


COMMANDS = [subject_access, retention]
