"""The scorer that weighs the signals, and :func:`recommend`, the one call the web layer makes.

Scoring one applicant is: the signal matrix from :meth:`MatchIndex.signals`
(one sparse product for the text, NumPy for the rest), one matrix-vector
product with the scorer's weights, a logistic, the hard-rule mask and an
``argpartition`` for the top ``k``. Only those ``k`` matches (and up to 20 near
misses) are then explained, in Python.

The scorer is a :class:`~sklearn.linear_model.LogisticRegression` on the
signal columns. Before any feedback exists :meth:`MatchScorer.default` sets its
coefficients by hand (:data:`DEFAULT_WEIGHTS`, :data:`DEFAULT_INTERCEPT`);
:meth:`MatchScorer.fit` learns them from relevant / not-relevant feedback.
Either way the score is ``expit(signals @ coef + intercept)`` in [0, 1].

Persisting: :meth:`MatchScorer.save` writes, with joblib, a dict holding the
format string :data:`SCORER_FORMAT`, the signal names, the hyper-parameters and
the plain NumPy coefficients — not a pickled scikit-learn object, so a model
saved under one scikit-learn release loads under the next. Every web worker
calls :meth:`MatchScorer.load` on the same file and serves the same model;
``version_`` (``"default-1"`` or ``"trained-<hash>"``) says which one.

Examples
--------
>>> from chains.records import Opportunity, Applicant
>>> from matching.features import MatchIndex
>>> opps = [Opportunity("1", "بسته‌بندی پنیر", "cheese packaging", "0406", "marand", "a",
...                     10**9, 2 * 10**9, suited_for=("cooperative",))]
>>> index = MatchIndex().fit(opps)
>>> result = recommend(index, MatchScorer.default(), Applicant("a", "individual", 10**9), lang="en")
>>> result.matches, [e.rule for e in result.excluded]
((), ['applicant_type'])
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass, field
from typing import NamedTuple

import joblib
import numpy as np
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression

from chains.records import Applicant

from .explain import AUDIENCES, LANGS, MIN_SIGNAL, exclusion_text, near_miss_text, opens, signal_reason
from .features import RULES, SIGNALS, MatchIndex, Query, check_is_fitted

__all__ = [
    "SCORER_FORMAT",
    "DEFAULT_WEIGHTS",
    "DEFAULT_INTERCEPT",
    "MAX_REASONS",
    "MAX_EXCLUDED",
    "MatchScorer",
    "Reason",
    "Match",
    "Exclusion",
    "MatchResult",
    "LEVELS",
    "LEVEL_THRESHOLDS",
    "content_fit",
    "match_level",
    "Ranking",
    "level_key",
    "top_k",
    "recommend",
    "explain_match",
]

#: Format of the file :meth:`MatchScorer.save` writes; :meth:`MatchScorer.load` refuses any other.
SCORER_FORMAT = "panjereh.matching.scorer/1"
#: Hand-set weights used before feedback exists. Text similarity and chain
#: adjacency carry the most because they are the evidence the applicant can
#: actually run the business; sector (stated intent) and county (where the
#: applicant can be present) come next; capital fit separates "affordable" from
#: "just barely, with financing"; gap priority, the province's interest, nudges.
DEFAULT_WEIGHTS = {"text": 4.0, "adjacency": 3.0, "capital": 1.5, "county": 2.0, "sector": 2.0, "gap": 0.75,
                   "product": 4.0}
#: ``version_`` of :meth:`MatchScorer.default`.
DEFAULT_VERSION = "default-1"
#: Intercept of the default model: an opportunity with every signal at 0 scores ~0.007.
DEFAULT_INTERCEPT = -5.0
#: Levels of a match, best first, and the content fit each needs (see :func:`content_fit`).
#: strong: the applicant's own product or one its words name outright (link ≥ 0.6), or a direct
#: supplier/user of a product it makes; good: a direct neighbour of a product it named fairly
#: surely, a close text match, or a product two steps from its own; possible: some real content
#: signal (a partial text match, a stated sector). Below ``possible`` an opportunity is not a
#: match, only one of the "other opportunities within your means".
LEVELS = ("strong", "good", "possible")
LEVEL_THRESHOLDS = {"strong": 0.6, "good": 0.35, "possible": 0.15}
#: Text similarity counted as a full text match in :func:`content_fit`.
TEXT_FULL = 0.3
#: Other opportunities within the applicant's means reported per query.
MAX_OTHERS = 10
#: Reasons per match.
MAX_REASONS = 3
#: Near misses reported per query.
MAX_EXCLUDED = 20


class MatchScorer(BaseEstimator):
    """Weights of the signals: a logistic regression, hand-set or learned from feedback.

    Parameters
    ----------
    C : float, default=1.0
        Inverse regularisation strength of the logistic regression.
    class_weight : dict, "balanced" or None, default="balanced"
        Feedback has far more "not relevant" than "relevant" labels.
    max_iter : int, default=1000

    Attributes
    ----------
    model_ : sklearn.linear_model.LogisticRegression
        Fitted (or hand-set) model on the columns of :data:`SIGNALS`.
    coef_ : numpy.ndarray of float32, shape (n_signals,)
    intercept_ : float
    version_ : str
        ``"default-1"`` or ``"trained-<first 12 hex of a hash of the weights>"``.
    n_feedback_ : int
        Number of labelled pairs the weights were learned from (0 for defaults).

    Examples
    --------
    >>> import numpy as np
    >>> scorer = MatchScorer.default()
    >>> scorer.version_
    'default-1'
    >>> s = scorer.score(np.array([[1] * len(SIGNALS), [0] * len(SIGNALS)], dtype=np.float32))
    >>> bool(s[0] > 0.99 and s[1] < 0.01)
    True
    """

    def __init__(self, *, C: float = 1.0, class_weight="balanced", max_iter: int = 1000):
        self.C = C
        self.class_weight = class_weight
        self.max_iter = max_iter

    def _new_model(self) -> LogisticRegression:
        return LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter)

    def _set_weights(self, coef, intercept: float, version: str, n_feedback: int) -> MatchScorer:
        model = self._new_model()
        model.classes_ = np.array([0, 1])
        model.coef_ = np.asarray(coef, dtype=np.float64).reshape(1, len(SIGNALS))
        model.intercept_ = np.array([float(intercept)])
        model.n_features_in_ = len(SIGNALS)
        model.n_iter_ = np.array([0], dtype=np.int32)
        self.model_ = model
        self.coef_ = model.coef_.ravel().astype(np.float32)
        self.intercept_ = float(intercept)
        self.version_ = version
        self.n_feedback_ = int(n_feedback)
        return self

    @classmethod
    def default(cls, **params) -> MatchScorer:
        """A scorer with the documented :data:`DEFAULT_WEIGHTS`, usable before any feedback."""
        return cls(**params)._set_weights(
            [DEFAULT_WEIGHTS[s] for s in SIGNALS], DEFAULT_INTERCEPT, DEFAULT_VERSION, 0
        )

    def fit(self, X, y, sample_weight=None) -> MatchScorer:
        """Learn the weights from feedback.

        Parameters
        ----------
        X : array-like of shape (n_pairs, n_signals)
            Signal rows of applicant × opportunity pairs someone judged.
        y : array-like of shape (n_pairs,)
            1 (or True) for relevant, 0 for not relevant; both must occur.
        sample_weight : array-like of shape (n_pairs,), optional

        Returns
        -------
        self
        """
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y).astype(int)
        if X.ndim != 2 or X.shape[1] != len(SIGNALS):
            raise ValueError(f"X must have {len(SIGNALS)} columns ({', '.join(SIGNALS)}), got shape {X.shape}")
        if set(np.unique(y)) != {0, 1}:
            raise ValueError("feedback needs both relevant (1) and not relevant (0) labels")
        model = self._new_model().fit(X, y, sample_weight=sample_weight)
        digest = hashlib.sha1(np.concatenate([model.coef_.ravel(), model.intercept_]).tobytes()).hexdigest()
        self._set_weights(model.coef_.ravel(), model.intercept_[0], f"trained-{digest[:12]}", len(y))
        self.model_ = model
        return self

    def score(self, X) -> np.ndarray:
        """Relevance scores in [0, 1] for rows of signals (``expit(X @ coef_ + intercept_)``)."""
        check_is_fitted(self, "coef_")
        X = np.asarray(X, dtype=np.float32)
        if X.ndim == 1:
            X = X.reshape(1, -1)
        return self._expit(self._logit(X))

    def _logit(self, X: np.ndarray) -> np.ndarray:
        """``X @ coef_ + intercept_`` in float32 for a 2-d float32 ``X`` (a new array)."""
        # One axpy per signal column instead of a BLAS gemv: a multi-threaded BLAS call
        # on a busy two-core server costs milliseconds of thread hand-off per request.
        z = np.full(X.shape[0], self.intercept_, dtype=np.float32)
        tmp = np.empty_like(z)  # one buffer for every column: no allocation per signal
        for j, w in enumerate(self.coef_.tolist()):
            np.multiply(X[:, j], np.float32(w), out=tmp)
            z += tmp
        return z

    @staticmethod
    def _expit(z: np.ndarray) -> np.ndarray:
        """float32 logistic, in place: ``expit(z) == (1 + tanh(z / 2)) / 2``, and numpy's tanh is several
        times faster than scipy's expit."""
        z = np.asarray(z, dtype=np.float32)
        z *= 0.5
        np.tanh(z, out=z)
        z *= 0.5
        z += 0.5
        return z

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, as :meth:`sklearn.linear_model.LogisticRegression.predict_proba`."""
        check_is_fitted(self, "model_")
        return self.model_.predict_proba(np.asarray(X, dtype=np.float64))

    def weights(self) -> dict[str, float]:
        """The weight of each signal, by name."""
        check_is_fitted(self, "coef_")
        return {s: float(w) for s, w in zip(SIGNALS, self.coef_, strict=True)}

    def save(self, path: str | os.PathLike) -> None:
        """Write the scorer to ``path`` with joblib, atomically (a reader never sees half a file)."""
        check_is_fitted(self, "coef_")
        payload = {
            "format": SCORER_FORMAT,
            "signals": SIGNALS,
            "params": self.get_params(),
            "coef": np.asarray(self.model_.coef_.ravel(), dtype=np.float64),
            "intercept": float(self.model_.intercept_[0]),
            "version": self.version_,
            "n_feedback": self.n_feedback_,
        }
        path = os.fspath(path)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)), suffix=".tmp")
        os.close(fd)
        try:
            joblib.dump(payload, tmp)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise

    @classmethod
    def load(cls, path: str | os.PathLike, *, fallback: bool = False) -> MatchScorer:
        """Read a scorer written by :meth:`save`.

        Parameters
        ----------
        path : path-like
        fallback : bool, default=False
            On a file this code cannot use (another format, weights for other signals — e.g. one saved
            before the ``product`` signal existed —, or an unreadable file), log a warning on the
            ``matching`` logger and return :meth:`default` instead of raising. The web layer should
            load with ``fallback=True`` so an old model never fails a request.

        Raises
        ------
        ValueError
            Without ``fallback``, if the file is not a scorer of :data:`SCORER_FORMAT` over the current
            :data:`SIGNALS`; the message says what the file holds and how to replace it.
        """
        try:
            return cls._load(path)
        except Exception as exc:
            if not fallback:
                raise
            logging.getLogger("matching").warning("%s; using the default weights (%s)", exc, DEFAULT_VERSION)
            return cls.default()

    @classmethod
    def _load(cls, path: str | os.PathLike) -> MatchScorer:
        fix = "retrain it with `flask matching train` or delete it to use the default weights"
        try:
            payload = joblib.load(os.fspath(path))
        except Exception as exc:
            raise ValueError(f"{path} cannot be read as a {SCORER_FORMAT} file ({exc}); {fix}") from exc
        if not isinstance(payload, dict) or payload.get("format") != SCORER_FORMAT:
            raise ValueError(f"{path} is not a {SCORER_FORMAT} file; {fix}")
        saved = tuple(payload.get("signals") or ())
        if saved != SIGNALS:
            raise ValueError(
                f"{path} weighs {len(saved)} signals ({', '.join(saved)}), this code computes {len(SIGNALS)} "
                f"({', '.join(SIGNALS)}): it was saved by an older release; {fix}"
            )
        missing = {"params", "coef", "intercept", "version", "n_feedback"} - set(payload)
        coef = np.asarray(payload.get("coef", ()), dtype=np.float64).ravel()
        if missing or len(coef) != len(SIGNALS):
            raise ValueError(f"{path} is an incomplete {SCORER_FORMAT} file ({len(coef)} weights, missing "
                             f"{sorted(missing)}); {fix}")
        return cls(**payload["params"])._set_weights(
            coef, payload["intercept"], payload["version"], payload["n_feedback"]
        )


@dataclass(frozen=True)
class Reason:
    """Why an opportunity was recommended: a language-neutral ``key`` (a signal name) and a sentence."""

    key: str
    text: str


@dataclass(frozen=True)
class Match:
    """One recommended opportunity, its score in [0, 1], up to three reasons and all signal values."""

    opportunity_ref: str
    score: float
    reasons: tuple[Reason, ...] = ()
    signals: dict[str, float] = field(default_factory=dict)
    level: str = ""  # one of LEVELS, "" for an "other opportunity" (no content fit)
    fit: float = 0.0  # content fit in [0, 1]


@dataclass(frozen=True)
class Exclusion:
    """A near miss: an opportunity a hard ``rule`` (one of :data:`RULES`) keeps out, and why."""

    opportunity_ref: str
    rule: str
    text: str
    score: float = 0.0
    level: str = ""  # the level it would have if open
    near_miss: bool = False  # a strong or good fit kept out by applicant type or capital only
    opens: dict = field(default_factory=dict)  # what would open it (see matching.explain.opens)


@dataclass(frozen=True)
class MatchResult:
    """What the desk shows for one applicant.

    ``matches``: open opportunities with a content fit, best first, each with a level.
    ``excluded``: up to :data:`MAX_EXCLUDED` opportunities a hard rule keeps out, near misses first.
    ``others``: up to :data:`MAX_OTHERS` open opportunities with no content fit, within the
    applicant's means ("other opportunities within your means"), by capital, county and gap priority.
    ``linked``: the products the applicant's text was understood to name
    (:class:`matching.linking.LinkedProduct`), for "we understood: …".
    """

    matches: tuple[Match, ...] = ()
    excluded: tuple[Exclusion, ...] = ()
    others: tuple[Match, ...] = ()
    linked: tuple = ()


def _best(scores: np.ndarray, candidates: np.ndarray, k: int) -> np.ndarray:
    """Indices (into the full arrays) of the ``k`` best ``candidates``, best first, ties by row."""
    if k <= 0 or len(candidates) == 0:
        return np.empty(0, dtype=np.int64)
    s = scores[candidates]
    if len(candidates) > k:
        part = np.argpartition(-s, k - 1)[:k]
        # Keep the candidates tied with the k-th so ties break by row, not by partition order
        # (unless a flat score makes that set large: then the partition's own, still deterministic, pick).
        tied = np.flatnonzero(s >= s[part].min())
        if len(tied) <= 10 * k:
            part = tied
    else:
        part = np.arange(len(candidates))
    rows = candidates[part]
    order = np.lexsort((rows, -s[part]))[:k]
    return rows[order]


def content_fit(signals: np.ndarray) -> np.ndarray:
    """How well each opportunity fits what the applicant does or wants, in [0, 1].

    ``1 - (1 - product) (1 - text / 2) (1 - 0.3 sector)`` with ``text`` scaled so a similarity of
    :data:`TEXT_FULL` is a full text match: the product fit leads, a text match alone reaches
    "good", a stated sector alone "possible". Capital, county and gap priority play no part.
    """
    s = np.asarray(signals, dtype=np.float32)
    return _fit_of(s[:, _COL["text"]], s[:, _COL["product"]], s[:, _COL["sector"]])


def _fit_of(text: np.ndarray, product: np.ndarray, sector: np.ndarray) -> np.ndarray:
    """:func:`content_fit` of the three columns it reads (float32, in place on three temporaries)."""
    text = text * np.float32(-0.5 / TEXT_FULL)
    np.maximum(text, np.float32(-0.5), out=text)
    text += np.float32(1.0)  # 1 - text / 2
    miss = np.subtract(np.float32(1.0), product, dtype=np.float32)
    miss *= text
    sector = np.asarray(sector, dtype=np.float32) * np.float32(-0.3)
    sector += np.float32(1.0)
    miss *= sector
    return np.subtract(np.float32(1.0), miss, out=miss)


_COL = {name: j for j, name in enumerate(SIGNALS)}
_THRESHOLDS = np.array([LEVEL_THRESHOLDS[n] for n in reversed(LEVELS)], dtype=np.float32)


def match_level(fit: np.ndarray) -> np.ndarray:
    """Level number per content fit: 3 strong, 2 good, 1 possible, 0 not a match."""
    fit = np.asarray(fit, dtype=np.float32)
    level = (fit >= _THRESHOLDS[0]).astype(np.int8)
    for t in _THRESHOLDS[1:]:
        level += fit >= t
    return level


def _least_float32(ok, lo: float = 0.0, hi: float = 1.0) -> float:
    """The least float32 ``x`` in ``[lo, hi]`` with ``ok(x)``, for a monotone ``ok``; ``inf`` if none."""
    bits = np.array([lo, hi], dtype=np.float32).view(np.int32)  # non-negative floats sort as their bits
    a, b = int(bits[0]), int(bits[1])
    if not ok(np.array([b], dtype=np.int32).view(np.float32)):
        return float("inf")
    while a < b:
        m = (a + b) // 2
        if ok(np.array([m], dtype=np.int32).view(np.float32)):
            b = m
        else:
            a = m + 1
    return float(np.array([a], dtype=np.int32).view(np.float32)[0])


def _text_thresholds(sector: float) -> np.ndarray:
    """Per level (possible, good, strong), the least text similarity reaching it with no product fit and
    ``sector`` (0 or 1), exactly as :func:`match_level` of :func:`content_fit` decides it in float32."""
    zero = np.zeros(1, dtype=np.float32)
    return np.array([
        _least_float32(lambda x, t=t: bool(_fit_of(x, zero, np.float32([sector]))[0] >= t)) for t in _THRESHOLDS
    ], dtype=np.float32)


#: Text similarity at which an opportunity with no product fit reaches each level, without / with sector.
_TEXT_LEVEL = (_text_thresholds(0.0), _text_thresholds(1.0))
#: The ranking key is ``level * _LEVEL_GAP + clip(z, _Z_LOW, _Z_HIGH)`` (``z`` the scorer's logit):
#: monotone in the calibrated score ``(level + min(expit(z), 0.999)) / 4``, without a logistic over
#: every opportunity. ``_Z_HIGH`` is where ``min(expit(z), 0.999)`` stops growing; below ``_Z_LOW`` the
#: float32 logistic is 0.
_Z_HIGH = _least_float32(lambda z: bool(MatchScorer._expit(z)[0] >= np.float32(0.999)), 0.0, 20.0)
_Z_LOW = -40.0
_LEVEL_GAP = 64.0
#: Levels an excluded opportunity's key drops: below any open one.
_EXCLUDED_LEVELS = 100


def level_key(level: int) -> float:
    """The least ranking key of an opportunity of at least ``level`` (0 no content fit … 3 strong)."""
    return level * _LEVEL_GAP + _Z_LOW


def _rank_key(index: MatchIndex, scorer: MatchScorer, q, rules: np.ndarray | None = None) -> np.ndarray:
    """The ranking key of every opportunity (see :data:`_LEVEL_GAP`) for the query ``q``.

    Dense passes only for what is dense (text, capital, the constant part); county, sector, adjacency and
    product fit are added on the rows they touch. With ``rules``, excluded opportunities get
    ``_EXCLUDED_LEVELS`` levels less, so they rank below every open one.
    """
    w = dict(zip(SIGNALS, scorer.coef_.tolist(), strict=True))
    key = np.multiply(q.text, np.float32(w["text"]))
    neutral = not q.applicant.counties
    key += index.constant_part(scorer.intercept_, w["gap"], w["county"] * 0.5 if neutral else 0.0)
    cap = index.capital_fit(q.applicant.capital_rials)
    cap *= np.float32(w["capital"])
    key += cap
    if not neutral:
        key[q.county_rows()] += np.float32(w["county"])
    rows, adj, prod = q.content_rows()
    sector_rows = q.sector_rows
    key[sector_rows] += np.float32(w["sector"])
    key[rows] += adj * np.float32(w["adjacency"]) + prod * np.float32(w["product"])
    # Levels: by text alone on every row, by text with a sector on the sector rows, exactly where a
    # product fits.
    level = np.zeros(len(key), dtype=np.int8)
    for t in _TEXT_LEVEL[0][np.isfinite(_TEXT_LEVEL[0])]:  # text alone never reaches "strong"
        level += q.text >= t
    if len(sector_rows):
        st = q.text[sector_rows]
        at = (st >= _TEXT_LEVEL[1][0]).view(np.int8)
        for t in _TEXT_LEVEL[1][1:]:
            at += st >= t
        level[sector_rows] = at
    if len(rows):
        level[rows] = match_level(_fit_of(q.text[rows], prod, q.in_sector(rows)))
    if rules is not None:  # an excluded row drops 100 levels: below every open one
        excluded = rules >= 0
        excluded = excluded.view(np.int8)
        excluded *= np.int8(_EXCLUDED_LEVELS)
        level -= excluded
    return _ranking_key(key, level)


def _ranking_key(z: np.ndarray, level: np.ndarray) -> np.ndarray:
    """``level * _LEVEL_GAP + clip(z, _Z_LOW, _Z_HIGH)``, in place on the logits ``z``."""
    np.clip(z, np.float32(_Z_LOW), np.float32(_Z_HIGH), out=z)
    z += np.multiply(level, np.float32(_LEVEL_GAP), dtype=np.float32)
    return z


def _top(key: np.ndarray, k: int, floor: float) -> np.ndarray:
    """Rows of the ``k`` largest keys not below ``floor``, ties with the k-th included (unless many).

    A threshold from a strided sample (its few largest keys) usually leaves a few times ``k`` rows
    above it, and the exact top ``k`` is taken among those; when fewer than ``k`` rows reach it, the
    partition runs over every row. Either way the result is the exact top ``k``.
    """
    n = len(key)
    if k <= 0 or n == 0:
        return np.empty(0, dtype=np.int64)
    if k >= n:
        part = np.arange(n)
    else:
        m = max(k // 2, 4)  # the sample's m-th largest key: about n * m / len(sample) = 4 k rows above it
        step = max(1, (_ABOVE_PER_K * k) // m)
        cand = None
        if step > 1:
            sample = key[::step]
            m = min(len(sample), m)
            threshold = np.partition(sample, len(sample) - m)[len(sample) - m]
            above = key >= threshold
            if np.count_nonzero(above) >= k:
                cand = np.flatnonzero(above)
        if cand is None:  # the k largest, and every row tied with the k-th when they are few
            top = np.argpartition(key, n - k)[n - k:]
            tied = np.flatnonzero(key >= key[top].min())
            cand = tied if len(tied) <= 10 * k else top
        vals = key[cand]
        kth = vals[np.argpartition(vals, len(vals) - k)[len(vals) - k]] if len(vals) > k else vals.min()
        part = cand[vals >= kth]  # every row tied with the k-th is in cand (its key is >= the threshold)
        if len(part) > 10 * k:  # a flat key: the partition's own, still deterministic, pick
            part = cand[np.argpartition(vals, len(vals) - k)[len(vals) - k:]]
    return part[key[part] >= floor]


#: :func:`_top` aims at about ``_ABOVE_PER_K * k`` rows above its sampled threshold.
_ABOVE_PER_K = 4


def _ordered(scorer: MatchScorer, q, rows: np.ndarray, k: int, signals: np.ndarray | None = None):
    """``rows`` by calibrated score (ties by row), the best ``k``, with their signals and scores
    (``signals``: those of ``rows`` when the caller has them already)."""
    if signals is None:
        signals = q.signals(rows)
    scores = _calibrated(scorer, signals)
    order = np.lexsort((rows, -scores))[:k]
    return rows[order], scores[order], signals[order]


def _level_name(n: int) -> str:
    return LEVELS[3 - n] if n > 0 else ""


class Ranking(NamedTuple):
    """What :func:`top_k` returns."""

    rows: np.ndarray  #: rows (into the index) of the top k open opportunities, best first
    scores: np.ndarray  #: their calibrated scores
    rules: np.ndarray  #: int8 per opportunity, as MatchIndex.rules
    query: Query  #: ``query.signals(rows)`` gives the signals of any rows


def top_k(
    index: MatchIndex, scorer: MatchScorer, applicant: Applicant, k: int = 20, *, strict_counties: bool = False,
    others: bool = True, linked=None,
) -> Ranking:
    """Rank all opportunities for one applicant, without explanations.

    The order is by level (:func:`match_level` of :func:`content_fit`), then by the scorer within a
    level, so capital, county and gap priority only break ties among equally relevant
    opportunities. The scores are calibrated to the levels: ``(level + p) / 4`` with ``p`` the
    scorer's probability (capped at 0.999), so a score ≥ 0.75 is always strong, ≥ 0.5 good, ≥ 0.25
    possible, and below 0.25 no content fit.

    One dense pass per dense signal (text, capital) and a constant per scorer; the sparse signals
    (county, sector, chain adjacency, product fit) are added on the rows they touch, and the
    logistic is taken for the ``k`` rows returned only (the key, ``level`` and the logit, ranks as the
    score does). ``linked`` is as in :func:`recommend`.

    Returns
    -------
    Ranking
        ``rows``: the top ``k`` open opportunities, matches first; with ``others`` (the default) the
        list is filled up with open opportunities with no content fit. ``scores``: theirs.
        ``rules``: per opportunity. ``query``: for ``query.signals(rows)``.
    """
    check_is_fitted(scorer, "coef_")
    q = index.query(applicant, linked)
    rules = index.rules(applicant, strict_counties=strict_counties)
    found = _top_matches(scorer, q, rules, k, others)
    if found is None:  # fewer than k matches and the list is filled up with the others: every row's key
        key = _rank_key(index, scorer, q, rules)
        found = _top(key, k, level_key(1 if not others else 0)), None
    rows, signals = found
    rows, scores, _ = _ordered(scorer, q, rows, k, signals)
    return Ranking(rows, scores, rules, q)


def _top_matches(scorer: MatchScorer, q, rules: np.ndarray, k: int, others: bool):
    """The top ``k`` open matches by ranking key, looking only at the rows that can be among them.

    A row's level reads only its product fit, sector and text similarity (:func:`content_fit`), and a
    row with no product fit reaches level ``L`` only with text similarity of at least
    ``_TEXT_LEVEL[s][L - 1]`` (``s`` whether it is in the applicant's sectors). So the rows that can
    reach level ``L`` are the product-fit rows, some sector rows and the rows above a text threshold:
    strong ones first, then good, then possible. When ``k`` open rows reach a level, the top ``k``
    are among them (every row below that level has a smaller key), and the key (level and clipped
    logit, as :func:`_rank_key`) is computed on those rows only: at 100,000 opportunities a few
    thousand rows instead of every one. Returns those rows and their signals, or ``None`` when ``others``
    asks to fill the list up and fewer than ``k`` rows match at all: then the caller ranks every row.
    """
    content = q.content_rows()[0]
    sector = q.sector_rows
    sector_text = q.text[sector]
    open_ = rules < 0
    for level in (3, 2, 1):
        t_text, t_sector = _TEXT_LEVEL[0][level - 1], _TEXT_LEVEL[1][level - 1]
        if np.isfinite(t_text):
            # The rows, each once and in order: a boolean mask is cheaper than sorting and deduplicating them.
            maybe = q.text >= t_text
            maybe[sector[sector_text >= t_sector]] = True
            maybe[content] = True
            maybe &= open_
            cand = np.flatnonzero(maybe)
        else:  # text alone cannot reach the level: a few thousand rows, sorted without a pass over all
            cand = np.union1d(content, sector[sector_text >= t_sector])
            cand = cand[open_[cand]]
        if len(cand) < k and (level > 1 or others):
            continue
        signals = q.signals(cand)
        reached = match_level(content_fit(signals))
        match = reached >= level
        if np.count_nonzero(match) < k and (level > 1 or others):
            continue
        cand, signals, reached = cand[match], signals[match], reached[match]
        key = _ranking_key(scorer._logit(signals), reached)
        top = _top(key, k, level_key(level))
        return cand[top], signals[top]
    return None


def _calibrated(scorer: MatchScorer, signals: np.ndarray) -> np.ndarray:
    """``(level + min(p, 0.999)) / 4``, in place on the scorer's output."""
    p = scorer.score(signals)
    np.minimum(p, np.float32(0.999), out=p)
    fit = content_fit(signals)
    for t in _THRESHOLDS:  # + level (match_level), without an integer temporary
        p += fit >= t
    p *= np.float32(0.25)
    return p


def recommend(
    index: MatchIndex,
    scorer: MatchScorer,
    applicant: Applicant,
    k: int = 20,
    lang: str | None = None,
    *,
    strict_counties: bool = False,
    linked=None,
    audience: str = "self",
) -> MatchResult:
    """The ``k`` best opportunities for ``applicant``, with reasons, and the nearest misses.

    Parameters
    ----------
    index : MatchIndex
        Fitted on the published opportunities.
    scorer : MatchScorer
        ``MatchScorer.default()`` or one loaded with :meth:`MatchScorer.load`.
    applicant : Applicant
    k : int, default=20
    lang : {"fa", "en"}, optional
        Language of reasons and exclusion texts; the applicant's ``lang`` by default.
    strict_counties : bool, default=False
        Make the applicant's counties a hard rule (see :mod:`matching.features`).
    linked : sequence of LinkedProduct or product codes, optional
        The products the applicant's text names as someone confirmed them (the clerk's "we
        understood" ticks): only these count as named products, for the ranking and the reasons.
        ``None`` (the default) links ``applicant.skills`` automatically; ``[]`` names none.
    audience : {"self", "desk"}, default="self"
        Who reads the reasons: the investor themself («شما», "you"), or staff reading about the
        applicant («متقاضی», "the applicant"): the desk's match list, an agency's reverse look-up.

    Returns
    -------
    MatchResult
    """
    lang = _check_lang(lang, applicant)
    _check_audience(audience)
    check_is_fitted(scorer, "coef_")
    linked = index.confirmed_links(applicant.skills, linked)
    q = index.query(applicant, linked)
    key = _rank_key(index, scorer, q)
    rules = index.rules(applicant, strict_counties=strict_counties)
    open_ = rules < 0
    relevant = key >= level_key(1)

    def listed(candidates, n):  # the best n candidates by key, then by calibrated score
        rows, scores, signals = _ordered(scorer, q, _best(key, candidates, n), n)
        return rows.tolist(), scores, signals, content_fit(signals)

    rows, scores, signals, fit = listed(np.flatnonzero(open_ & relevant), k)
    matches = tuple(_match(index, scorer, applicant, i, signals[j], scores[j], fit[j], lang, linked, audience)
                    for j, i in enumerate(rows))
    rows, scores, signals, fit = listed(np.flatnonzero(open_ & ~relevant), MAX_OTHERS)
    others_ = tuple(_match(index, scorer, applicant, i, signals[j], scores[j], fit[j], lang, linked, audience)
                    for j, i in enumerate(rows))
    # Near misses: a strong or good fit kept out by applicant type or capital (not by county) come first.
    near = (rules == RULES.index("applicant_type")) | (rules == RULES.index("capital"))
    near &= key >= level_key(2)
    rows, scores, _, _ = listed(np.flatnonzero(near), MAX_EXCLUDED)
    excluded = tuple(_exclusion(index, applicant, i, rules[i], scores[j], lang, near=True, audience=audience)
                     for j, i in enumerate(rows))
    rows, scores, _, _ = listed(np.flatnonzero((rules >= 0) & ~near), MAX_EXCLUDED - len(excluded))
    excluded += tuple(_exclusion(index, applicant, i, rules[i], scores[j], lang, audience=audience)
                      for j, i in enumerate(rows))
    return MatchResult(matches=matches, excluded=excluded, others=others_, linked=linked)


def explain_match(
    index: MatchIndex,
    scorer: MatchScorer,
    applicant: Applicant,
    opportunity_ref: str,
    lang: str | None = None,
    *,
    strict_counties: bool = False,
    linked=None,
    audience: str = "self",
) -> Match | Exclusion:
    """Score and explain one opportunity for one applicant.

    For the opportunity page ("why does this suit me?") and for reverse
    look-ups (the applicants an opportunity suits best): one vectorised pass,
    then reasons for this opportunity only, never for all of them.

    ``linked`` and ``audience`` are as in :func:`recommend`.

    Returns
    -------
    Match or Exclusion
        An :class:`Exclusion` when a hard rule keeps the opportunity out.

    Raises
    ------
    KeyError
        If ``opportunity_ref`` is not in the index.
    """
    lang = _check_lang(lang, applicant)
    _check_audience(audience)
    rows = np.flatnonzero(index.refs_ == opportunity_ref)
    if len(rows) == 0:
        raise KeyError(opportunity_ref)
    i = int(rows[0])
    check_is_fitted(scorer, "coef_")
    linked = index.confirmed_links(applicant.skills, linked)
    signals = index.query(applicant, linked).signals(np.array([i]))
    score = _calibrated(scorer, signals)[0]
    rule = index.rules(applicant, strict_counties=strict_counties)[i]
    if rule >= 0:
        return _exclusion(index, applicant, i, rule, score, lang, near=score >= 0.5 and RULES[rule] != "county",
                          audience=audience)
    return _match(index, scorer, applicant, i, signals[0], score, content_fit(signals)[0], lang, linked, audience)


def _check_audience(audience: str) -> None:
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {AUDIENCES}, got {audience!r}")


def _check_lang(lang: str | None, applicant: Applicant) -> str:
    lang = lang or applicant.lang or "fa"
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    return lang


def _match(index, scorer, applicant, i: int, s: np.ndarray, score, fit, lang: str, linked=None,
           audience: str = "self") -> Match:
    strength = scorer.coef_ * s
    content = {"product", "adjacency", "text", "sector"}
    strong = [
        j for j in np.argsort(-strength, kind="stable").tolist()
        if strength[j] > 0 and s[j] >= MIN_SIGNAL[SIGNALS[j]]
    ]
    strong.sort(key=lambda j: SIGNALS[j] not in content)  # what the applicant came for is said first
    if SIGNALS.index("product") in strong and SIGNALS.index("adjacency") in strong:
        strong.remove(SIGNALS.index("adjacency"))  # the product reason already says it
    reasons = []
    for j in strong:
        text = signal_reason(index, applicant, i, SIGNALS[j], lang, linked, audience=audience)
        if text:  # "" when nothing meaningful can be said (a text match on word fragments only)
            reasons.append(Reason(SIGNALS[j], text))
        if len(reasons) == MAX_REASONS:
            break
    return Match(
        opportunity_ref=index.refs_[i],
        score=float(score),
        reasons=tuple(reasons),
        signals={name: round(float(v), 4) for name, v in zip(SIGNALS, s, strict=True)},
        level=_level_name(int(score * 4)),
        fit=round(float(fit), 4),
    )


def _exclusion(index, applicant, i: int, rule: int, score, lang: str, near: bool = False,
               audience: str = "self") -> Exclusion:
    what = opens(index, applicant, i, RULES[rule]) if near else {}
    text = (near_miss_text(index, applicant, i, what, lang, audience=audience) if near
            else exclusion_text(index, applicant, i, RULES[rule], lang, audience=audience))
    return Exclusion(
        opportunity_ref=index.refs_[i],
        rule=RULES[rule],
        text=text,
        score=float(score),
        level=_level_name(int(float(score) * 4)),
        near_miss=near,
        opens=what,
    )
