"""flask seed: load the illustrative data set."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from app.extensions import db
from app.models import Product
from app.services.hq_seed import load_hq_seed
from app.services.permits.seed import import_permits
from app.services.seed import import_bundle
from chains.errors import ChainDataError
from chains.io import load_dir


@click.command("seed")
@click.option("--dir", "seed_dir", type=click.Path(file_okay=False, exists=True), default=None,
              help="Folder with the seed CSV files (default: data/seed).")
@click.option("--if-empty", is_flag=True, help="Only seed when the database holds no products yet.")
@with_appcontext
def seed_command(seed_dir: str | None, if_empty: bool) -> None:
    """Load the ILLUSTRATIVE East Azerbaijan data set (idempotent: seeding twice duplicates nothing)."""


    if if_empty and db.session.scalar(select(func.count(Product.id))):
        click.echo("Database already has data; not seeding.")
        return
    folder = seed_dir or current_app.config["PANJEREH_SEED_DIR"]
    try:
        bundle = load_dir(folder)
    except ChainDataError as exc:
        for p in exc.problems:
            click.echo(f"{p.record}: {p.field}: {p.message_en}", err=True)
        raise SystemExit(1) from exc
    summary = import_bundle(bundle, illustrative=True)
    permits = import_permits(folder)
    hq_file = Path(folder) / "hq.json"
    hq = load_hq_seed(hq_file) if hq_file.exists() else {}
    db.session.commit()
    for kind in sorted(set(summary.created) | set(summary.updated) | set(summary.kept)):
        click.echo(f"{kind}: {summary.created.get(kind, 0)} created, {summary.updated.get(kind, 0)} updated, "
                   f"{summary.kept.get(kind, 0)} unchanged")
    for kind, n in permits.items():
        click.echo(f"{kind}: {n} written")
    for kind, n in hq.items():
        click.echo(f"{kind}: {n} created")
