"""flask chains ...: missing links, data checks, relatedness tables."""

from __future__ import annotations

import csv
import gzip
import json
import math
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db
from app.models import ValueChain
from app.services.gaps import province_gaps
from app.services.records import domain_links, domain_products
from app.services.relatedness import import_relatedness
from chains.errors import ChainDataError, problem
from chains.graph import build_graph
from chains.io import load_dir
from chains.nomenclature import is_valid_code

chains_cli = AppGroup("chains", help="Value-chain data: missing links and validation.")


@chains_cli.command("gaps")
@click.option("--chain", default=None, help="Only this value chain (slug).")
@click.option("--kind", default=None, type=click.Choice(["missing_supplier", "shortfall", "unprocessed_outflow",
                                                          "idle_capacity", "infrastructure"]))
@click.option("--format", "fmt", default="table", type=click.Choice(["table", "json", "csv"]))
@click.option("--lang", default="en", type=click.Choice(["fa", "en"]), help="Language of the reasons.")
def chains_gaps(chain: str | None, kind: str | None, fmt: str, lang: str) -> None:
    """List the province's missing links, highest priority first."""


    if chain and not db.session.scalar(select(ValueChain.id).where(ValueChain.slug == chain)):
        raise click.BadParameter(f"unknown value chain {chain!r}", param_hint="--chain")
    gaps = [g for g in province_gaps()
            if (chain is None or chain in g.chains) and (kind is None or kind in g.kinds)]
    if fmt == "json":
        click.echo(json.dumps([g.to_dict() for g in gaps], ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        writer = csv.writer(click.get_text_stream("stdout"), lineterminator="\n")
        writer.writerow(["product", "kinds", "chains", "size_rials", "national_scale", "viability", "attractiveness",
                         "strategic", "priority", "reason"])
        for g in gaps:
            writer.writerow([g.product, "|".join(g.kinds), "|".join(g.chains), g.size_rials,
                             int(g.national_scale), f"{g.viability:.4f}", f"{g.attractiveness:.4f}",
                             f"{g.strategic:.4f}", f"{g.priority:.4f}", g.reason(lang)])
        return
    click.echo(f"{'priority':>8}  {'kind':<20} {'product':<8} {'size (rials)':>20}  reason")
    for g in gaps:
        scale = "  [national-scale]" if g.national_scale else ""
        click.echo(f"{g.priority:8.3f}  {g.kind:<20} {g.product:<8} {g.size_rials:>20,}  {g.reason(lang)}{scale}")
    total = sum(g.size_rials for g in gaps)
    click.echo(f"{len(gaps)} missing links, one per product; {total:,} rials in all, no rial counted twice")


@chains_cli.command("check")
@click.option("--dir", "seed_dir", type=click.Path(file_okay=False, exists=True), default=None,
              help="Check CSV files in this folder instead of the database.")
@click.option("--lang", default="en", type=click.Choice(["fa", "en"]))
def chains_check(seed_dir: str | None, lang: str) -> None:
    """Validate the value-chain data; one line per problem, exit status 1 when there are any."""


    problems = []
    if seed_dir:
        try:
            load_dir(seed_dir)
        except ChainDataError as exc:
            problems.extend(exc.problems)
    else:
        products = domain_products()
        for p in products:
            if p.nomenclature in ("hs", "isic") and not is_valid_code(p.code, p.nomenclature):
                kind = "unknown_hs_code" if p.nomenclature == "hs" else "unknown_isic_code"
                problems.append(problem(kind, record=p.code, field="code", code_value=p.code))
        try:
            build_graph(products, domain_links())
        except ChainDataError as exc:
            problems.extend(exc.problems)
    for p in problems:
        click.echo(f"{p.record}: {p.field}: {p.message(lang)}")
    if problems:
        raise SystemExit(1)
    click.echo("no problems found" if lang == "en" else "مشکلی پیدا نشد")


@chains_cli.command("relatedness")
@click.argument("path", type=click.Path(dir_okay=False, exists=True))
@click.option("--region", required=True, help="The region label in the table that stands for this province.")
@click.option("--name", default=None, help="A name for the table (default: the file name).")
@click.option("--source", default="", help="Where the figures come from.")
def chains_relatedness(path: str, region: str, name: str | None, source: str) -> None:
    """Import a region × product table (CSV: region,product,value; gzip allowed) for relatedness.

    Column names accepted: region|country|origin|loc, product|hs92|hs|prod, value|export_val|val.
    Nothing is stored unless every row is valid.
    """


    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        header = {h.strip().lower(): h for h in (reader.fieldnames or [])}

        def pick(*names):
            for n in names:
                if n in header:
                    return header[n]
            raise click.ClickException(f"missing column: one of {', '.join(names)}")

        rc, pc, vc = pick("region", "country", "origin", "loc"), pick("product", "hs92", "hs", "prod"), \
            pick("value", "export_val", "val")
        rows, errors = [], []
        for n, row in enumerate(reader, start=2):
            try:
                value = float(str(row[vc]).replace(",", ""))
                if not math.isfinite(value) or value < 0:
                    raise ValueError
            except (TypeError, ValueError):
                errors.append(f"row {n}: {vc}: not a non-negative number: {row.get(vc)!r}")
                continue
            if not row[rc] or not row[pc]:
                errors.append(f"row {n}: region and product must not be empty")
                continue
            rows.append((row[rc].strip(), row[pc].strip(), value))
    if errors:
        for e in errors[:50]:
            click.echo(e, err=True)
        raise SystemExit(1)
    try:
        table = import_relatedness(rows, name or Path(path).name, region, source)
    except ValueError:
        db.session.rollback()
        raise click.ClickException(f"region {region!r} is not in the table") from None
    db.session.commit()
    click.echo(f"read {len(rows)} rows: {table.regions} regions × {table.products} products"
               + (" — too small to trust; density is not used" if table.too_small else ""))
