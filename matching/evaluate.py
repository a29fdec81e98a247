"""Offline evaluation of the recommender and training the scorer on feedback.

Relevance is an ``(n_applicants, n_opportunities)`` matrix (sparse or dense) of
graded labels, row ``a`` for ``applicants[a]`` and column ``i`` for row ``i`` of
the fitted :class:`~matching.features.MatchIndex` — what
:func:`matching.synthetic.relevance` returns, or what staff judgements give.

Metrics use linear gains and ``log2(rank + 1)`` discounts, as
:func:`sklearn.metrics.ndcg_score` does; the ideal ranking is taken over *all*
opportunities, so a relevant opportunity wrongly excluded by a hard rule costs
nDCG. Applicants with no relevant opportunity at all are skipped (their nDCG
is undefined).

Examples
--------
>>> ndcg_at_k([3, 0, 2], [3, 2, 0, 0], k=3)
0.9...
>>> precision_at_k([1, 0, 2, 0], k=4)
0.5
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from chains.records import Applicant

from .features import SIGNALS, MatchIndex
from .model import MatchScorer, top_k

__all__ = [
    "Feedback",
    "precision_at_k",
    "ndcg_at_k",
    "evaluate",
    "split_applicants",
    "collect_feedback",
    "train_scorer",
]


@dataclass(frozen=True)
class Feedback:
    """Judged applicant × opportunity pairs: signal rows ``X`` and labels ``y`` (1 relevant, 0 not).

    ``groups`` holds the applicant position of each row, so a split never puts
    one applicant on both sides.
    """

    X: np.ndarray
    y: np.ndarray
    groups: np.ndarray


def precision_at_k(ranked_relevance: Sequence[float], k: int = 10) -> float:
    """Share of the first ``k`` ranked items that are relevant (label > 0); short lists count as misses."""
    r = np.asarray(ranked_relevance, dtype=float)[:k]
    return float(np.count_nonzero(r > 0)) / k


def _dcg(gains: np.ndarray) -> float:
    return float(np.sum(gains / np.log2(np.arange(2, len(gains) + 2))))


def ndcg_at_k(ranked_relevance: Sequence[float], all_relevance: Sequence[float], k: int = 10) -> float:
    """nDCG@k of a ranking given the relevance of everything that could have been ranked.

    Parameters
    ----------
    ranked_relevance : sequence of float
        Relevance of the items in ranked order (at least the first ``k``).
    all_relevance : sequence of float
        Relevance of every candidate, for the ideal ranking.
    k : int

    Returns
    -------
    float
        In [0, 1]; ``nan`` when nothing is relevant.
    """
    ideal = np.sort(np.asarray(all_relevance, dtype=float))[::-1][:k]
    idcg = _dcg(ideal)
    if idcg <= 0:
        return float("nan")
    return _dcg(np.asarray(ranked_relevance, dtype=float)[:k]) / idcg


def _row(relevance, a: int) -> np.ndarray:
    if sp.issparse(relevance):
        return np.asarray(relevance[[a]].toarray()).ravel()
    return np.asarray(relevance[a]).ravel()


def evaluate(
    index: MatchIndex,
    scorer: MatchScorer,
    applicants: Sequence[Applicant],
    relevance,
    k: int = 10,
    rows: Sequence[int] | None = None,
) -> dict[str, float]:
    """Mean nDCG@k and precision@k of the recommender over applicants.

    Parameters
    ----------
    index, scorer
        The fitted recommender.
    applicants : sequence of Applicant
    relevance : array-like or sparse matrix, shape (len(applicants), n_opportunities)
    k : int, default=10
    rows : sequence of int, optional
        Evaluate only these applicant positions (a held-out split).

    Returns
    -------
    dict
        ``{"ndcg": ..., "precision": ..., "n": applicants evaluated}``.
    """
    rows = range(len(applicants)) if rows is None else rows
    ndcgs, precs = [], []
    for a in rows:
        rel = _row(relevance, a)
        if not np.any(rel > 0):
            continue
        top, *_ = top_k(index, scorer, applicants[a], k)
        ndcgs.append(ndcg_at_k(rel[top], rel, k))
        precs.append(precision_at_k(rel[top], k))
    return {
        "ndcg": float(np.mean(ndcgs)) if ndcgs else float("nan"),
        "precision": float(np.mean(precs)) if precs else float("nan"),
        "n": len(ndcgs),
    }


def split_applicants(n_applicants: int, test_size: float = 0.3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A deterministic train / held-out split of applicant positions.

    Examples
    --------
    >>> train, held_out = split_applicants(10, test_size=0.3)
    >>> len(train), len(held_out), sorted(set(train) | set(held_out)) == list(range(10))
    (7, 3, True)
    """
    order = np.random.default_rng(seed).permutation(n_applicants)
    n_test = int(round(test_size * n_applicants))
    return np.sort(order[n_test:]), np.sort(order[:n_test])


def collect_feedback(
    index: MatchIndex,
    applicants: Sequence[Applicant],
    relevance,
    rows: Sequence[int] | None = None,
    *,
    scorer: MatchScorer | None = None,
    shown: int = 30,
    random: int = 30,
    seed: int = 0,
) -> Feedback:
    """Label pairs the way staff would: what the current scorer showed, plus a random sample.

    For each applicant the top ``shown`` open opportunities under ``scorer``
    (the defaults when ``None``) and ``random`` other open ones are labelled
    relevant (relevance > 0) or not.

    Returns
    -------
    Feedback
    """
    scorer = scorer if scorer is not None else MatchScorer.default()
    rng = np.random.default_rng(seed)
    rows = range(len(applicants)) if rows is None else rows
    Xs, ys, gs = [], [], []
    for a in rows:
        top, _, rules, query = top_k(index, scorer, applicants[a], shown)
        open_rows = np.flatnonzero(rules < 0)
        extra = rng.choice(open_rows, size=min(random, len(open_rows)), replace=False) if len(open_rows) else []
        picked = np.unique(np.concatenate([top, np.asarray(extra, dtype=top.dtype)]))
        if len(picked) == 0:
            continue
        rel = _row(relevance, a)
        Xs.append(np.asarray(query.signals(picked), dtype=np.float32))
        ys.append((rel[picked] > 0).astype(np.int8))
        gs.append(np.full(len(picked), a, dtype=np.int64))
    if not Xs:
        return Feedback(np.empty((0, len(SIGNALS)), np.float32), np.empty(0, np.int8), np.empty(0, np.int64))
    return Feedback(np.vstack(Xs), np.concatenate(ys), np.concatenate(gs))


def train_scorer(feedback: Feedback | tuple, **params) -> MatchScorer:
    """Fit a :class:`MatchScorer` on feedback.

    Parameters
    ----------
    feedback : Feedback or (X, y)
    **params
        Hyper-parameters of :class:`MatchScorer`.

    Returns
    -------
    MatchScorer
    """
    X, y = (feedback.X, feedback.y) if isinstance(feedback, Feedback) else feedback
    return MatchScorer(**params).fit(X, y)


# ------------------------------------------------------------------ walk-in evaluation sets
#: Format string of a walk-in evaluation file (see :func:`load_walkins`).
WALKINS_FORMAT = "panjereh.matching.walkins/1"


@dataclass(frozen=True)
class Walkin:
    """One judged walk-in: the profile as the desk takes it and graded judgements by opportunity ref.

    ``judgements`` maps an opportunity ref to a grade (3 what they came for, 2 a good fit, 1 plausible);
    refs not listed are 0. Judgements ignore the hard rules, so an opportunity the applicant may not
    take still counts in the ideal ranking.
    """

    applicant: Applicant
    judgements: dict[str, int]
    strict_counties: bool = False


def load_walkins(path) -> list[Walkin]:
    """Read a walk-in evaluation file.

    The file is JSON: ``{"format": "panjereh.matching.walkins/1", "profiles": [...]}``; each profile
    has ``ref``, ``applicant_type``, ``capital_rials``, optional ``lang`` (``"fa"``), ``counties``,
    ``sectors``, ``products`` (codes), ``skills`` (free text: skills, current activities, what they
    want to do), ``strict_counties`` (false) and ``judgements`` (``{opportunity ref: grade}``).
    ``tests/matching/eval/walkins.json`` is an example.

    Raises
    ------
    ValueError
        On another format or a profile without judgements.
    """
    import json

    with open(path, encoding="utf-8") as fh:
        payload = json.load(fh)
    if payload.get("format") != WALKINS_FORMAT:
        raise ValueError(f"{path} is not a {WALKINS_FORMAT} file")
    out = []
    for p in payload["profiles"]:
        if not p.get("judgements"):
            raise ValueError(f"profile {p.get('ref')!r} in {path} has no judgements")
        applicant = Applicant(
            ref=p["ref"], applicant_type=p["applicant_type"], capital_rials=int(p["capital_rials"]),
            sectors=tuple(p.get("sectors", ())), skills=p.get("skills", ""), products=tuple(p.get("products", ())),
            counties=tuple(p.get("counties", ())), lang=p.get("lang", "fa"),
        )
        grades = {str(ref): int(g) for ref, g in p["judgements"].items()}
        out.append(Walkin(applicant, grades, bool(p.get("strict_counties", False))))
    return out


def evaluate_walkins(index: MatchIndex, scorer: MatchScorer, walkins: Sequence[Walkin], k: int = 5,
                     *, rank=None) -> dict:
    """Mean nDCG@k, first-match relevance and coverage of the ranked list over judged walk-ins.

    The ranked list is what a clerk sees first: :func:`matching.model.top_k` (``rank(index, scorer,
    walkin)`` returning rows, if given). Opportunities judged but not in ``index`` are ignored.

    Returns
    -------
    dict
        ``ndcg``: mean nDCG@k (ideal over all judged opportunities in the index);
        ``first_relevant``: share of profiles whose first match has a grade > 0 (an empty list counts
        as a miss); ``coverage``: share of profiles with at least one relevant opportunity in the top
        ``k``; ``n``: profiles evaluated; ``top``: per profile ref, the refs of the top ``k``.
    """
    ref_row = {r: i for i, r in enumerate(index.refs_.tolist())}
    ndcgs, firsts, covered, tops = [], [], [], {}
    for w in walkins:
        rel = np.zeros(len(ref_row))
        for ref, g in w.judgements.items():
            if ref in ref_row:
                rel[ref_row[ref]] = g
        if not np.any(rel > 0):
            continue
        if rank is None:
            rows, *_ = top_k(index, scorer, w.applicant, k, strict_counties=w.strict_counties)
        else:
            rows = rank(index, scorer, w)
        rows = np.asarray(rows, dtype=np.int64)[:k]
        ndcgs.append(ndcg_at_k(rel[rows], rel, k))
        firsts.append(bool(len(rows)) and rel[rows[0]] > 0)
        covered.append(bool(np.any(rel[rows] > 0)))
        tops[w.applicant.ref] = [index.refs_[i] for i in rows.tolist()]
    def mean(xs):
        return float(np.mean(xs)) if xs else float("nan")

    return {"ndcg": mean(ndcgs), "first_relevant": mean(firsts), "coverage": mean(covered), "n": len(ndcgs),
            "top": tops}


def seed_index(path, **params) -> MatchIndex:
    """A :class:`MatchIndex` over the published opportunities of a seed folder (``chains.io.load_dir``),
    with the value-chain graph and the gap engine's priorities, as the web layer builds it."""
    from chains.gaps import find_gaps
    from chains.graph import build_graph
    from chains.io import load_dir

    bundle = load_dir(path)
    graph = build_graph(bundle.products, bundle.links)
    chain_priority = {c.slug: c.priority for c in bundle.chains}
    priority: dict[str, float] = {}
    for gap in find_gaps(graph, chain_priority=chain_priority):
        priority[gap.product] = max(priority.get(gap.product, 0.0), gap.priority)
    names = list(bundle.chains) + [c for c in getattr(bundle, "sectors", ()) if c.slug not in
                                   {ch.slug for ch in bundle.chains}]
    return MatchIndex(**params).fit(
        [o for o in bundle.opportunities if o.status == "published"], graph=graph, gap_priority=priority,
        products=bundle.products, chains=names, counties=bundle.counties,
    )


def main(argv=None) -> int:
    """``python -m matching.evaluate [walkins.json] [--seed data/seed] [-k 5]``: figures on a walk-in set."""
    import argparse

    parser = argparse.ArgumentParser(description="Evaluate the recommender on judged walk-ins")
    parser.add_argument("walkins", nargs="?", default="tests/matching/eval/walkins.json")
    parser.add_argument("--seed", default="data/seed")
    parser.add_argument("-k", type=int, default=5)
    parser.add_argument("--show", action="store_true", help="print each profile's top k")
    args = parser.parse_args(argv)
    index = seed_index(args.seed)
    walkins = load_walkins(args.walkins)
    res = evaluate_walkins(index, MatchScorer.default(), walkins, k=args.k)
    print(f"{res['n']} profiles: nDCG@{args.k} {res['ndcg']:.3f}, first match relevant {res['first_relevant']:.3f}, "
          f"coverage {res['coverage']:.3f}")
    if args.show:
        grades = {w.applicant.ref: w.judgements for w in walkins}
        for ref, top in res["top"].items():
            print(ref, " ".join(f"{r[-3:]}({grades[ref].get(r, 0)})" for r in top))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
