"""CLI: ``flask seed``, ``flask users …``, ``flask translate …`` (click groups under ``flask``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, select

from .extensions import db

ROOT = Path(__file__).resolve().parent.parent

users_cli = AppGroup("users", help="Manage staff and investor accounts.")
translate_cli = AppGroup("translate", help="Extract, update and compile the message catalogues.")


@click.command("seed")
@click.option("--dir", "seed_dir", type=click.Path(file_okay=False, exists=True), default=None,
              help="Folder with the seed CSV files (default: data/seed).")
@click.option("--if-empty", is_flag=True, help="Only seed when the database holds no products yet.")
@with_appcontext
def seed_command(seed_dir: str | None, if_empty: bool) -> None:
    """Load the ILLUSTRATIVE East Azerbaijan data set (idempotent: seeding twice duplicates nothing)."""
    from chains.errors import ChainDataError
    from chains.io import load_dir

    from . import services
    from .models import Product

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
    summary = services.import_bundle(bundle, illustrative=True)
    db.session.commit()
    for kind in sorted(set(summary.created) | set(summary.updated) | set(summary.kept)):
        click.echo(f"{kind}: {summary.created.get(kind, 0)} created, {summary.updated.get(kind, 0)} updated, "
                   f"{summary.kept.get(kind, 0)} unchanged")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice(["admin", "hq", "agency_editor", "desk_staff", "investor"]))
@click.option("--agency", default=None, help="Agency slug (required for agency_editor).")
@click.option("--name", default="")
@click.option("--password", default=None, help="Prompted for when not given.")
def create_user(email: str, role: str, agency: str | None, name: str, password: str | None) -> None:
    """Create an account."""
    from .auth import hash_password
    from .models import Agency, User

    email = email.strip().lower()
    if "@" not in email:
        raise click.BadParameter("not an email address", param_hint="--email")
    if db.session.scalar(select(User).where(func.lower(User.email) == email)):
        raise click.ClickException(f"an account for {email} already exists")
    agency_row = None
    if agency:
        agency_row = db.session.scalar(select(Agency).where(Agency.slug == agency))
        if agency_row is None:
            raise click.BadParameter(f"unknown agency {agency!r}", param_hint="--agency")
    if role == "agency_editor" and agency_row is None:
        raise click.BadParameter("an agency editor needs --agency", param_hint="--agency")
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 10:
        raise click.BadParameter("use at least 10 characters", param_hint="--password")
    db.session.add(User(email=email, name=name, role=role, agency=agency_row, password_hash=hash_password(password)))
    db.session.commit()
    click.echo(f"created {role} {email}")


def _pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT)


@translate_cli.command("extract")
def translate_extract() -> None:
    """Extract messages into app/translations/messages.pot and update the .po files."""
    _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "--add-comments=TRANSLATORS:", "--sort-by-file",
             "--no-wrap", "-o", "app/translations/messages.pot", ".")
    _pybabel("update", "-i", "app/translations/messages.pot", "-d", "app/translations", "--no-wrap",
             "--ignore-obsolete", "--no-fuzzy-matching")


@translate_cli.command("compile")
def translate_compile() -> None:
    """Compile the .po catalogues to .mo (done by make and by the test session)."""
    _pybabel("compile", "-d", "app/translations", "--statistics")


def register(app) -> None:
    app.cli.add_command(seed_command)
    app.cli.add_command(users_cli)
    app.cli.add_command(translate_cli)
    app.cli.add_command(chains_cli)
    app.cli.add_command(matching_cli)
    app.cli.add_command(data_cli)


chains_cli = AppGroup("chains", help="Value-chain data: missing links and validation.")


@chains_cli.command("gaps")
@click.option("--chain", default=None, help="Only this value chain (slug).")
@click.option("--kind", default=None, type=click.Choice(["missing_supplier", "shortfall", "unprocessed_outflow",
                                                          "idle_capacity", "infrastructure"]))
@click.option("--format", "fmt", default="table", type=click.Choice(["table", "json", "csv"]))
@click.option("--lang", default="en", type=click.Choice(["fa", "en"]), help="Language of the reasons.")
def chains_gaps(chain: str | None, kind: str | None, fmt: str, lang: str) -> None:
    """List the province's missing links, highest priority first."""
    import csv
    import json

    from . import services
    from .models import ValueChain

    if chain and not db.session.scalar(select(ValueChain.id).where(ValueChain.slug == chain)):
        raise click.BadParameter(f"unknown value chain {chain!r}", param_hint="--chain")
    gaps = [g for g in services.province_gaps()
            if (chain is None or chain in g.chains) and (kind is None or g.kind == kind)]
    if fmt == "json":
        click.echo(json.dumps([g.to_dict() for g in gaps], ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        writer = csv.writer(click.get_text_stream("stdout"), lineterminator="\n")
        writer.writerow(["kind", "product", "chains", "size_rials", "viability", "attractiveness", "strategic",
                         "priority", "reason"])
        for g in gaps:
            writer.writerow([g.kind, g.product, "|".join(g.chains), g.size_rials, f"{g.viability:.4f}",
                             f"{g.attractiveness:.4f}", f"{g.strategic:.4f}", f"{g.priority:.4f}", g.reason(lang)])
        return
    click.echo(f"{'priority':>8}  {'kind':<20} {'product':<8} {'size (rials)':>20}  reason")
    for g in gaps:
        click.echo(f"{g.priority:8.3f}  {g.kind:<20} {g.product:<8} {g.size_rials:>20,}  {g.reason(lang)}")
    click.echo(f"{len(gaps)} missing links")


@chains_cli.command("check")
@click.option("--dir", "seed_dir", type=click.Path(file_okay=False, exists=True), default=None,
              help="Check CSV files in this folder instead of the database.")
@click.option("--lang", default="en", type=click.Choice(["fa", "en"]))
def chains_check(seed_dir: str | None, lang: str) -> None:
    """Validate the value-chain data; one line per problem, exit status 1 when there are any."""
    from chains.errors import ChainDataError, problem
    from chains.graph import build_graph
    from chains.io import load_dir
    from chains.nomenclature import is_valid_code

    from . import services

    problems = []
    if seed_dir:
        try:
            load_dir(seed_dir)
        except ChainDataError as exc:
            problems.extend(exc.problems)
    else:
        products = services.domain_products()
        for p in products:
            if p.nomenclature in ("hs", "isic") and not is_valid_code(p.code, p.nomenclature):
                kind = "unknown_hs_code" if p.nomenclature == "hs" else "unknown_isic_code"
                problems.append(problem(kind, record=p.code, field="code", code_value=p.code))
        try:
            build_graph(products, services.domain_links())
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
    import csv
    import gzip
    import math

    from . import services

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
        table = services.import_relatedness(rows, name or Path(path).name, region, source)
    except ValueError:
        db.session.rollback()
        raise click.ClickException(f"region {region!r} is not in the table") from None
    db.session.commit()
    click.echo(f"read {len(rows)} rows: {table.regions} regions × {table.products} products"
               + (" — too small to trust; density is not used" if table.too_small else ""))


matching_cli = AppGroup("matching", help="The recommender: train on staff feedback, evaluate, send alerts.")

CASE_OUTCOMES = {"approved": 1, "completed": 1, "rejected": 0, "withdrawn": 0}


def _labelled_pairs():
    """(applicant ref, signals row, label) from staff verdicts and case outcomes (a verdict wins)."""
    import numpy as np

    from matching.features import SIGNALS

    from .models import Applicant, Case, MatchFeedback, Opportunity
    from .services import matching as msvc

    index = msvc.match_index()
    row_of = {ref: i for i, ref in enumerate(index.refs_.tolist())}
    labels: dict[tuple[int, int], int] = {}
    stored: dict[tuple[int, int], dict] = {}
    for case in db.session.scalars(select(Case)):
        if case.status in CASE_OUTCOMES:
            labels[(case.applicant_id, case.opportunity_id)] = CASE_OUTCOMES[case.status]
    for fb in db.session.scalars(select(MatchFeedback)):
        labels[(fb.applicant_id, fb.opportunity_id)] = int(fb.relevant)
        if fb.signals:
            stored[(fb.applicant_id, fb.opportunity_id)] = fb.signals
    out = []
    cache: dict[int, np.ndarray] = {}
    for (aid, oid), label in sorted(labels.items()):
        if (aid, oid) in stored and all(s in stored[(aid, oid)] for s in SIGNALS):
            x = np.array([stored[(aid, oid)][s] for s in SIGNALS], dtype=float)
        else:
            ref = db.session.scalar(select(Opportunity.ref).where(Opportunity.id == oid))
            if ref not in row_of:
                continue
            if aid not in cache:
                cache[aid] = index.signals(msvc.applicant_record(db.session.get(Applicant, aid)))
            x = np.asarray(cache[aid][row_of[ref]], dtype=float)
        out.append((aid, x, label))
    return out


@matching_cli.command("train")
@click.option("--min-feedback", default=20, show_default=True, help="Refuse to train on fewer labelled pairs.")
def matching_train(min_feedback: int) -> None:
    """Fit the signal weights on staff verdicts and case outcomes; save the model every worker loads."""
    import numpy as np

    from matching.evaluate import train_scorer

    from .services import matching as msvc

    pairs = _labelled_pairs()
    y = np.array([p[2] for p in pairs], dtype=int)
    if len(pairs) < min_feedback or len(set(y.tolist())) < 2:
        raise click.ClickException(
            f"not enough feedback to train: {len(pairs)} labelled pairs "
            f"({int(y.sum()) if len(y) else 0} relevant); need {min_feedback} with both verdicts")
    X = np.vstack([p[1] for p in pairs])
    model = train_scorer((X, y))
    path = msvc.model_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    model.save(path)
    msvc.reset_cache()
    weights = ", ".join(f"{k}={v:.3f}" for k, v in model.weights().items())
    click.echo(f"trained on {len(pairs)} pairs; model {model.version_} saved to {path}\nweights: {weights}")


@matching_cli.command("evaluate")
@click.option("-k", default=10, show_default=True)
@click.option("--test-size", default=0.3, show_default=True)
@click.option("--seed", default=0, show_default=True)
def matching_evaluate(k: int, test_size: float, seed: int) -> None:
    """Precision@k and nDCG@k on held-out applicants: weights trained on the rest vs. the defaults."""
    import numpy as np

    from matching.evaluate import ndcg_at_k, precision_at_k, train_scorer
    from matching.model import MatchScorer

    pairs = _labelled_pairs()
    applicants = sorted({p[0] for p in pairs})
    if len(applicants) < 4 or len({p[2] for p in pairs}) < 2:
        raise click.ClickException(f"not enough feedback to evaluate: {len(pairs)} pairs from "
                                   f"{len(applicants)} applicants")
    rng = np.random.default_rng(seed)
    test = set(rng.choice(applicants, size=max(1, int(round(len(applicants) * test_size))), replace=False).tolist())
    train = [p for p in pairs if p[0] not in test]
    if len({p[2] for p in train}) < 2:
        raise click.ClickException("the training split has only one kind of verdict; add feedback")
    trained = train_scorer((np.vstack([p[1] for p in train]), np.array([p[2] for p in train])))
    default = MatchScorer.default()
    results = {}
    for name, model in (("default", default), ("trained", trained)):
        ps, ns = [], []
        for a in sorted(test):
            rows = [p for p in pairs if p[0] == a]
            X = np.vstack([p[1] for p in rows])
            rel = np.array([p[2] for p in rows], dtype=float)
            order = np.lexsort((np.arange(len(rows)), -model.score(X)))
            ps.append(precision_at_k(rel[order], k))
            n = ndcg_at_k(rel[order], rel, k)
            if not np.isnan(n):
                ns.append(n)
        results[name] = (float(np.mean(ps)), float(np.mean(ns)) if ns else float("nan"))
    click.echo(f"held-out applicants: {len(test)} of {len(applicants)}; labelled pairs: {len(pairs)}")
    for name, (p, n) in results.items():
        click.echo(f"{name:>8}: precision@{k} = {p:.3f}   nDCG@{k} = {n:.3f}")


@matching_cli.command("alerts")
@click.option("--threshold", default=None, type=float, help="Minimum match score (default PANJEREH_ALERT_THRESHOLD).")
def matching_alerts(threshold: float | None) -> None:
    """Queue alerts for saved profiles that newly published opportunities match, then deliver the outbox."""
    from .tasks import alerts_and_mail  # the same work as the send_alerts task

    queued, sent = alerts_and_mail(threshold)
    click.echo(f"queued {queued} alerts; delivered {sent} messages")


data_cli = AppGroup("data", help="Import and export products, links and opportunities (CSV or XLSX).")


@data_cli.command("import")
@click.argument("kind", type=click.Choice(["products", "links", "opportunities"]))
@click.argument("path", type=click.Path(dir_okay=False, exists=True))
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
@click.option("--agency", default=None, help="Import as an editor of this agency (slug): its rules apply.")
@click.option("--lang", default="en", type=click.Choice(["fa", "en"]), help="Language of the problems.")
def data_import(kind: str, path: str, dry_run: bool, agency: str | None, lang: str) -> None:
    """Import a CSV or XLSX file, all or nothing; exit status 1 when any row has a problem."""
    from .models import ImportJob
    from .services import transfer

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
    from .services import transfer

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
