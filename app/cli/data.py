"""flask data ...: import and export products, links and opportunities (CSV or XLSX)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from app.extensions import db
from app.models import ImportJob
from app.services import transfer

data_cli = AppGroup("data", help="Import and export products, links and opportunities (CSV or XLSX).")


@data_cli.command("import")
@click.argument("kind", type=click.Choice(["products", "links", "opportunities"]))
@click.argument("path", type=click.Path(dir_okay=False, exists=True))
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
@click.option("--agency", default=None, help="Import as an editor of this agency (slug): its rules apply.")
@click.option("--lang", default="en", type=click.Choice(["fa", "en"]), help="Language of the problems.")
def data_import(kind: str, path: str, dry_run: bool, agency: str | None, lang: str) -> None:
    """Import a CSV or XLSX file, all or nothing; exit status 1 when any row has a problem."""

    try:
        user = transfer.cli_user(agency)
    except LookupError:
        raise click.BadParameter(f"unknown agency {agency!r}", param_hint="--agency") from None
    job = ImportJob(user_id=None, agency_id=user.agency_id, kind=kind, filename=Path(path).name,
                    dry_run=dry_run, status="queued", summary={})
    db.session.add(job)
    db.session.commit()
    outcome = transfer.run_job(job, Path(path), user, echo=click.echo)
    job = db.session.get(ImportJob, job.id)
    for p in job.problems or []:
        where = f"row {p['row']}" if p["row"] else "file"
        click.echo(f"{where}: {p['column'] or '-'}: {p['message_' + lang]}", err=True)
    if outcome is None or not outcome.ok:
        count = (job.summary or {}).get("problem_count", len(job.problems or []))
        raise click.ClickException(f"{count} problems; nothing was written (job {job.id})")
    counts = outcome.counts
    verb = "would create" if dry_run else "created"
    click.echo(f"{kind}: {outcome.total_rows} rows; {verb} {counts.get('created', 0)}, "
               f"updated {counts.get('updated', 0)}, unchanged {counts.get('kept', 0)} (job {job.id})")


@data_cli.command("export")
@click.argument("kind", type=click.Choice(["products", "links", "opportunities"]))
@click.option("--format", "fmt", default="csv", type=click.Choice(["csv", "xlsx"]))
@click.option("--lang", default="en", type=click.Choice(["fa", "en"]),
              help="fa: Persian headers and, for XLSX, a right-to-left sheet.")
@click.option("--agency", default=None, help="Only what an editor of this agency may change.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True))
def data_export(kind: str, fmt: str, lang: str, agency: str | None, output: str) -> None:
    """Export in the format the import reads back (CSV with a BOM, or XLSX)."""

    try:
        user = transfer.cli_user(agency)
    except LookupError:
        raise click.BadParameter(f"unknown agency {agency!r}", param_hint="--agency") from None
    rows = transfer.export_rows(kind, user)
    click.echo(f"exporting {len(rows)} {kind}…")
    data = (transfer.to_xlsx(kind, rows, lang, rtl=lang == "fa") if fmt == "xlsx"
            else transfer.to_csv(kind, rows, lang))
    Path(output).write_bytes(data)
    click.echo(f"wrote {len(rows)} rows to {output}")
