"""flask matching ...: train on staff feedback, evaluate, send alerts."""

from __future__ import annotations

from pathlib import Path

import click
import numpy as np
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db
from app.models import Applicant, Case, MatchFeedback, Opportunity
from app.services import matching as msvc
from matching.evaluate import evaluate_walkins, load_walkins, ndcg_at_k, precision_at_k, train_scorer
from matching.features import SIGNALS
from matching.model import MatchScorer

matching_cli = AppGroup("matching", help="The recommender: train on staff feedback, evaluate, send alerts.")


WALKINS = Path(__file__).resolve().parents[2] / "tests" / "matching" / "eval" / "walkins_40.json"
CASE_OUTCOMES = {"approved": 1, "completed": 1, "rejected": 0, "withdrawn": 0}


def _labelled_pairs():
    """(applicant ref, signals row, label) from staff verdicts and case outcomes (a verdict wins)."""



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


def _walkin_figures(path: Path, k: int) -> None:
    """Mean nDCG@k, first-match relevance and coverage of the scorer in use on judged walk-ins."""
    res = evaluate_walkins(msvc.match_index(), msvc.scorer(), load_walkins(path), k=k)
    click.echo(f"walk-ins ({path}): {res['n']} profiles: nDCG@{k} = {res['ndcg']:.3f}   "
               f"first match relevant = {res['first_relevant']:.3f}   coverage@{k} = {res['coverage']:.3f}")


@matching_cli.command("evaluate")
@click.option("-k", default=10, show_default=True, help="Cut-off for the staff-feedback figures.")
@click.option("--test-size", default=0.3, show_default=True)
@click.option("--seed", default=0, show_default=True)
@click.option("--walkins", "walkins", default=str(WALKINS), show_default=True,
              type=click.Path(dir_okay=False, path_type=Path), help="Judged walk-in profiles (JSON).")
@click.option("--walkins-k", default=5, show_default=True, help="Cut-off for the walk-in figures.")
def matching_evaluate(k: int, test_size: float, seed: int, walkins: Path, walkins_k: int) -> None:
    """Walk-in figures (nDCG@5, first-match relevance, coverage), then precision@k and nDCG@k on
    held-out applicants from staff feedback: weights trained on the rest vs. the defaults."""
    if walkins.exists():
        _walkin_figures(walkins, walkins_k)
    else:
        click.echo(f"walk-ins: no file at {walkins}")
    pairs = _labelled_pairs()
    applicants = sorted({p[0] for p in pairs})
    if len(applicants) < 4 or len({p[2] for p in pairs}) < 2:
        click.echo(f"staff feedback: not enough to evaluate ({len(pairs)} pairs from {len(applicants)} applicants)")
        return
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

    queued, sent = msvc.alerts_and_mail(threshold)  # the same work as the send_alerts task
    click.echo(f"queued {queued} alerts; delivered {sent} messages")
