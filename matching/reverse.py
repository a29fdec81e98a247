"""Reverse look-up: many applicants scored against one opportunity in one pass.

:func:`score_applicants` is the transpose of :meth:`matching.features.MatchIndex.signals`: instead of one
applicant against every opportunity, one opportunity (one row of the index) against every given applicant.
Each applicant's free text is analysed and linked once (Python, as for a forward query); the seven signals
are then sparse products and NumPy over all applicants at once, with the same float32 arithmetic, so the
scores equal those :func:`matching.model.explain_match` gives one applicant at a time (a test checks it on
the seed).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.utils.validation import check_is_fitted

from chains.records import Applicant

from .features import _NEUTRAL_COUNTY, NAMED_NEIGHBOUR, NEIGHBOUR_FIT, SIGNALS, MatchIndex, type_bit
from .model import MatchScorer, _calibrated

__all__ = ["applicant_signals", "score_applicants"]


def _row(index: MatchIndex, opportunity_ref: str) -> int:
    rows = np.flatnonzero(index.refs_ == opportunity_ref)
    if len(rows) == 0:
        raise KeyError(opportunity_ref)
    return int(rows[0])


def applicant_signals(index: MatchIndex, applicants: Sequence[Applicant], opportunity_ref: str) -> np.ndarray:
    """The signals of each applicant against one opportunity, shape ``(n_applicants, len(SIGNALS))``.

    Row ``a`` equals ``index.signals(applicants[a])[i]`` for the opportunity's row ``i``.

    Raises
    ------
    KeyError
        If ``opportunity_ref`` is not in the index.
    """
    check_is_fitted(index, "refs_")
    i = _row(index, opportunity_ref)
    n = len(applicants)
    cols = np.zeros((len(SIGNALS), n), dtype=np.float32)
    if n == 0:
        return cols.T

    # text: one sparse (applicants × n-grams) matrix times the opportunity's TF-IDF column.
    Q = sp.vstack([index.text_vector(a.skills) for a in applicants], format="csr")
    doc = index.text_T_[:, i].toarray().ravel().astype(np.float32)
    np.clip(Q @ doc, 0.0, 1.0, out=cols[0])

    # adjacency and product fit: the opportunity's column of the adjacency matrix, read per product row.
    col = int(index.opp_product_ix_[i])
    near_col = index.adjacency_[:, col].toarray().ravel()
    made_r, made_a, prod_r, prod_a, prod_w, prod_made = [], [], [], [], [], []
    for a, applicant in enumerate(applicants):
        made = set(applicant.products)
        for code in made:
            r = index.product_index_.get(code)
            if r is not None:
                made_r.append(r)
                made_a.append(a)
        for code, w in index.applicant_products(applicant).items():
            r = index.product_index_.get(code)
            if r is not None and w > 0:
                prod_r.append(r)
                prod_a.append(a)
                prod_w.append(w)
                prod_made.append(code in made)
    if made_r:
        np.maximum.at(cols[1], np.array(made_a), near_col[np.array(made_r)])
    if prod_r:
        r = np.array(prod_r)
        adj = near_col[r]
        made = np.array(prod_made)
        near = np.where(made, NEIGHBOUR_FIT[0], NEIGHBOUR_FIT[0] * NAMED_NEIGHBOUR)
        far = np.where(made, NEIGHBOUR_FIT[1], NEIGHBOUR_FIT[1] * NAMED_NEIGHBOUR)
        w = np.array(prod_w, dtype=np.float32)
        vals = np.where(adj >= 1.0, near, far).astype(np.float32) * w
        vals[adj <= 0] = 0.0
        vals[r == col] = w[r == col]
        np.maximum.at(cols[6], np.array(prod_a), vals)

    # capital: as MatchIndex.capital_fit, one opportunity and many capitals.
    capital = np.array([float(max(a.capital_rials, 0)) for a in applicants], dtype=np.float64)
    with np.errstate(invalid="ignore"):
        fit = np.fmin(capital.astype(np.float32) * index._inv_need[i], np.float32(1.0))
    fit *= fit
    limit = index._capital_limit[i]
    over = np.flatnonzero(capital > limit)
    if len(over):
        fit[over] *= np.maximum(0.5, 1.0 - 0.1 * np.log2(capital[over] / limit))
    cols[2] = fit

    county = index.opportunities_[i].county
    cols[3] = [(1.0 if county in a.counties else 0.0) if a.counties else _NEUTRAL_COUNTY for a in applicants]
    T = index.tags_T_.tocsc()
    tags = set(T.indices[T.indptr[i] : T.indptr[i + 1]].tolist())
    cols[4] = [any(index.tag_index_.get(s) in tags for s in set(a.sectors)) for a in applicants]
    cols[5] = index.gap_priority_[i]
    return cols.T


def score_applicants(
    index: MatchIndex,
    scorer: MatchScorer,
    applicants: Sequence[Applicant],
    opportunity_ref: str,
    *,
    strict_counties=False,
) -> tuple[np.ndarray, np.ndarray]:
    """Calibrated scores and hard rules of many applicants for one opportunity.

    ``strict_counties``: one flag for all applicants, or one per applicant (each stored profile's own
    "only these counties").

    Returns
    -------
    scores : numpy.ndarray of float32, shape (n_applicants,)
        As :func:`matching.model.explain_match`'s ``score`` for each applicant.
    rules : numpy.ndarray of int8, shape (n_applicants,)
        Index into :data:`matching.features.RULES` of the first rule excluding the opportunity for
        each applicant, ``-1`` where it is open (as :meth:`MatchIndex.rules`).
    """
    check_is_fitted(scorer, "coef_")
    signals = applicant_signals(index, applicants, opportunity_ref)
    scores = _calibrated(scorer, signals) if len(applicants) else np.empty(0, dtype=np.float32)
    i = _row(index, opportunity_ref)
    mask = int(index.suited_mask_[i])
    suited = np.array([mask == 0 or bool(mask & type_bit(a.applicant_type)) for a in applicants], dtype=bool)
    short = np.array([a.capital_rials < index._need_floor[i] for a in applicants], dtype=bool)
    rules = np.full(len(applicants), -1, dtype=np.int8)
    strict = np.broadcast_to(np.asarray(strict_counties, dtype=bool), (len(applicants),))
    if strict.any():
        county = index.opportunities_[i].county
        elsewhere = np.array([bool(s and a.counties) and county not in a.counties
                              for a, s in zip(applicants, strict.tolist(), strict=True)], dtype=bool)
        rules[elsewhere] = 2
    rules[short] = 1
    rules[~suited] = 0
    return scores, rules
