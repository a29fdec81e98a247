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
        top, _, signals, rules = top_k(index, scorer, applicants[a], shown)
        open_rows = np.flatnonzero(rules < 0)
        extra = rng.choice(open_rows, size=min(random, len(open_rows)), replace=False) if len(open_rows) else []
        picked = np.unique(np.concatenate([top, np.asarray(extra, dtype=top.dtype)]))
        if len(picked) == 0:
            continue
        rel = _row(relevance, a)
        Xs.append(np.asarray(signals[picked], dtype=np.float32))
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
