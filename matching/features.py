"""Opportunity features and the per-applicant signals of the recommender.

:class:`MatchIndex` is fitted once on all published opportunities (plus the
value-chain graph, gap priorities and product records) and then answers, for
one applicant, two vectorised questions over *all* opportunities at once:

* :meth:`MatchIndex.signals` — an ``(n_opportunities, n_signals)`` array of soft
  signals, each in [0, 1], in the column order of :data:`SIGNALS`;
* :meth:`MatchIndex.rules` — per opportunity, the first hard rule that
  excludes it (an index into :data:`RULES`, ``-1`` when none does).

Both are sparse-matrix and NumPy operations; nothing loops over opportunities
in Python. :func:`signals_reference` is the same computation written as a plain
per-opportunity loop, kept for tests and for the benchmark's baseline.

Signals
-------
text
    Cosine similarity between the applicant's skills text and the opportunity's
    text in both languages (titles, descriptions, product names, sector and
    chain names), character 2–4-grams inside words over :func:`normalize_text`
    output, so «پنير» and «پنیر», or «می‌شود» and «میشود», score the same.
adjacency
    Value-chain closeness of a product the applicant already makes to the
    opportunity's product: 1 for the same product or a direct supplier/user,
    1/2 at distance 2, in either direction of the supplier → user graph. The
    maximum over the applicant's products.
capital
    1 when the applicant's capital reaches its own share of the minimum
    investment, ``(1 - cover) * investment_min`` (``cover`` is the sum of the
    financing routes' shares, capped at ``max_cover``); ``ratio ** 2`` below
    that; and a mild logarithmic penalty, never below 1/2, when the capital is
    more than ``capital_above`` times the maximum investment.
county
    1 when the opportunity is in one of the applicant's counties, 0 when it is
    not, 1/2 (neutral) when the applicant named no county.
sector
    1 when one of the applicant's sectors is the product's sector or one of its
    chains, else 0.
gap
    The priority in [0, 1] of the gap the opportunity fills (0 when unknown).
product
    Product fit: the products the applicant makes (weight 1) and the products its
    free text names (:class:`matching.linking.ProductLinker`, weight = link
    score), against the opportunity's product: the weight itself for the same
    product, 0.6 × weight for a direct supplier or user, 0.3 × weight at
    distance 2 — for a product only named, not made, the neighbour weights are scaled by
    :data:`NAMED_NEIGHBOUR`. The maximum over those products.

The text signal's n-grams are taken from content terms only
(:func:`matching.normalize.content_text`: stop words out, light stems), so
«تولید» or «توسعه» never make two texts similar.

Hard rules
----------
applicant_type
    The opportunity lists the types it suits (``suited_for``) and the
    applicant's type is not among them. An empty ``suited_for`` suits everyone.
capital
    ``capital < (1 - cover) * investment_min * (1 - capital_tolerance)``: far
    below the minimum even with the listed financing.
county
    Only when the caller asks for ``strict_counties=True`` *and* the applicant
    named counties: the opportunity is elsewhere. By default counties are a
    soft signal, because most applicants name their home county without
    ruling out the next one; the desk or the self-service form can offer a
    "only these counties" box that sets the flag.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse import _sparsetools  # the C kernels behind scipy.sparse's products (see _rows_times)
from sklearn.base import BaseEstimator, clone
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

from chains.records import APPLICANT_TYPES, Applicant, Chain, County, Opportunity, Product

from .linking import MIN_LINK_SCORE, LinkedProduct, ProductLinker
from .normalize import content_text, terms

__all__ = ["SIGNALS", "RULES", "NEIGHBOUR_FIT", "NAMED_NEIGHBOUR", "MatchIndex", "Query", "update_index",
           "signals_reference", "type_bit"]

#: Soft signals, in the column order of :meth:`MatchIndex.signals`.
SIGNALS = ("text", "adjacency", "capital", "county", "sector", "gap", "product")
#: Hard rules, in the order they are checked; :meth:`MatchIndex.rules` returns an index into this.
RULES = ("applicant_type", "capital", "county")
#: Product-fit weight of a direct supplier/user and of a product two steps away.
NEIGHBOUR_FIT = (0.6, 0.3)
#: Extra factor on :data:`NEIGHBOUR_FIT` for a product the applicant only *named* (text linking) rather
#: than makes: supplying or buying from a business one describes is a different business, so a direct
#: neighbour of a named product is at most a "good" fit (0.45), never "strong" as a neighbour of a product
#: one already makes is (see ``matching.model.LEVELS``). Without it a service every industry buys (a
#: testing laboratory, packaging) came back as a strong fit for anyone who named any of its users.
NAMED_NEIGHBOUR = 0.75
#: Linked products (from the applicant's text) used per query.
MAX_LINKED = 5

_NEUTRAL_COUNTY = 0.5


def check_is_fitted(estimator, attribute: str) -> None:
    """:func:`sklearn.utils.validation.check_is_fitted` for one named attribute, and its error, without its
    tag machinery: that costs tens of microseconds a call, and a query made ten such calls."""
    if attribute not in vars(estimator):
        raise NotFittedError(f"This {type(estimator).__name__} instance is not fitted yet. Call 'fit' with "
                             "appropriate arguments before using this estimator.")


def type_bit(applicant_type: str) -> int:
    """The bit of ``applicant_type`` in the suited-type bitmask.

    Examples
    --------
    >>> type_bit("individual"), type_bit("cooperative")
    (1, 2)
    """
    try:
        return 1 << APPLICANT_TYPES.index(applicant_type)
    except ValueError:
        raise ValueError(f"unknown applicant type {applicant_type!r}; expected one of {APPLICANT_TYPES}") from None


def _rows_times(T: sp.csr_matrix, rows: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``weights @ T[rows]`` (a dense row of length ``T.shape[1]``, float32) for a float32 CSR ``T``.

    The same two kernels scipy runs for that expression (``csr_row_index`` gathers the rows, ``csc_matvec``
    multiplies them, read as the columns of their transpose), called directly: scipy's own path builds and
    checks three sparse-matrix objects around them, which on a one-line query costs a third of the product.
    """
    n = T.shape[1]
    if len(rows) == 0:
        return np.zeros(n, dtype=np.float32)
    if T.dtype != np.float32 or T.indices.dtype != T.indptr.dtype:  # not the layout fit() builds
        return np.asarray(np.asarray(weights, dtype=np.float32) @ T[rows], dtype=np.float32).ravel()
    out = np.zeros(n, dtype=np.float32)
    rows = np.asarray(rows, dtype=T.indptr.dtype)
    counts = T.indptr[rows + 1] - T.indptr[rows]
    indptr = np.empty(len(rows) + 1, dtype=T.indptr.dtype)
    indptr[0] = 0
    np.cumsum(counts, out=indptr[1:])
    nnz = int(indptr[-1])
    indices = np.empty(nnz, dtype=T.indices.dtype)
    data = np.empty(nnz, dtype=T.data.dtype)
    _sparsetools.csr_row_index(len(rows), rows, T.indptr, T.indices, T.data, indices, data)
    _sparsetools.csc_matvec(n, len(rows), indptr, indices, data, np.asarray(weights, dtype=T.data.dtype), out)
    return out


def _as_mapping(items, key: str) -> dict:
    if items is None:
        return {}
    if isinstance(items, Mapping):
        return dict(items)
    return {getattr(x, key): x for x in items}


class MatchIndex(BaseEstimator):
    """All published opportunities as arrays, ready to score one applicant against all of them.

    Parameters
    ----------
    ngram_range : tuple of int, default=(2, 4)
        Character n-gram sizes of the text signal (``analyzer="char_wb"``).
    sublinear_tf : bool, default=True
        Use ``1 + log(tf)`` term frequencies.
    max_df : float, default=0.3
        Drop n-grams found in more than this share of opportunities (as
        ``TfidfVectorizer(max_df=...)``): such n-grams (" in ", «در») say
        little about an opportunity and are what a query spends its time on.
    capital_tolerance : float, default=0.1
        Slack of the capital rule: exclude only when the capital is below
        ``(1 - capital_tolerance)`` times the applicant's own share.
    max_cover : float, default=0.9
        Cap on the share of the investment the financing routes can cover.
    capital_above : float, default=10.0
        Capital beyond this multiple of the maximum investment is mildly penalised.

    Attributes
    ----------
    refs_ : numpy.ndarray of str
        Opportunity refs, in row order.
    opportunities_ : tuple of Opportunity
    products_, chains_, counties_ : dict
        Records by code/slug, for names in texts and reasons.
    vectorizer_ : sklearn.feature_extraction.text.CountVectorizer
        ``char_wb`` n-gram counter with ``preprocessor=content_text``.
    tfidf_ : sklearn.feature_extraction.text.TfidfTransformer
    text_T_ : scipy.sparse.csr_matrix, shape (n_features, n_opportunities)
        L2-normalised TF-IDF vectors, transposed so a short query reads a few rows.
    investment_min_, investment_max_, cover_, need_, gap_priority_ : numpy.ndarray
    county_ix_ : numpy.ndarray of int32
    county_index_ : dict
        County slug → code in ``county_ix_``.
    suited_mask_ : numpy.ndarray of uint8
        Bit ``type_bit(t)`` set for each suited type; 0 means suits everyone.
    tags_T_ : scipy.sparse.csr_matrix, shape (n_tags, n_opportunities)
        Sector and chain slugs of each opportunity's product.
    tag_index_ : dict
    product_index_ : dict
        Product code → row of ``adjacency_``.
    adjacency_ : scipy.sparse.csr_matrix, shape (n_products, n_opportunity_products)
        Weight ``1/distance`` (distance 0 and 1 both weigh 1) from each product
        to each distinct opportunity product, up to distance 2 either way.
    opp_product_ix_ : numpy.ndarray of int32
        Column of ``adjacency_`` for each opportunity.
    graph_ : networkx.DiGraph or None
        The graph fitted on, used only to phrase reasons; do not mutate it.

    Notes
    -----
    ``adjacency_`` factors the (products × opportunities) matrix into (products ×
    distinct opportunity products) and a column map, so 100,000 opportunities on
    40,000 products cost the memory of the latter; one applicant's signal is
    still a slice of a few sparse rows.

    The TF-IDF is exactly ``TfidfVectorizer(analyzer="char_wb",
    preprocessor=content_text, ...)``: ``char_wb`` n-grams never cross a word
    boundary, so each distinct word is analysed once and documents sum their
    words' counts, which is an order of magnitude faster at 100,000 documents.

    Examples
    --------
    >>> from chains.records import Opportunity, Applicant
    >>> opps = [
    ...     Opportunity("1", "بسته‌بندی پنیر", "cheese packaging", "0406", "marand", "a", 10**9, 2 * 10**9),
    ...     Opportunity("2", "کاتد مس", "copper cathode", "7403", "ahar", "b", 10**9, 2 * 10**9),
    ... ]
    >>> index = MatchIndex().fit(opps)
    >>> s = index.signals(Applicant("x", "individual", 10**9, skills="پنير cheese"))
    >>> bool(s[0, 0] > s[1, 0])
    True
    """

    def __init__(
        self,
        *,
        ngram_range: tuple[int, int] = (2, 4),
        sublinear_tf: bool = True,
        max_df: float = 0.3,
        capital_tolerance: float = 0.1,
        max_cover: float = 0.9,
        capital_above: float = 10.0,
    ):
        self.ngram_range = ngram_range
        self.sublinear_tf = sublinear_tf
        self.max_df = max_df
        self.capital_tolerance = capital_tolerance
        self.max_cover = max_cover
        self.capital_above = capital_above

    # ------------------------------------------------------------------ fit
    def fit(
        self,
        opportunities: Iterable[Opportunity],
        graph: nx.DiGraph | None = None,
        gap_priority: Mapping[str, float] | None = None,
        products: Iterable[Product] | Mapping[str, Product] | None = None,
        *,
        chains: Iterable[Chain] | Mapping[str, Chain] | None = None,
        counties: Iterable[County] | Mapping[str, County] | None = None,
    ) -> MatchIndex:
        """Index the opportunities.

        Parameters
        ----------
        opportunities : iterable of Opportunity
            The opportunities to recommend from (normally the published ones).
        graph : networkx.DiGraph, optional
            Supplier → user edges over product codes. Without it the adjacency
            signal only sees an applicant making the opportunity's own product.
        gap_priority : mapping, optional
            Priority in [0, 1] by opportunity ref, or by product code for
            opportunities whose ref is absent. Missing: 0.
        products : iterable or mapping of Product, optional
            Product names, sector and chains (text, sector signal, reasons).
        chains, counties : iterable or mapping of Chain / County, optional
            Names for the text and for the reasons; slugs are used without them.

        Returns
        -------
        self
        """
        opps = tuple(opportunities)
        n = len(opps)
        self.opportunities_ = opps
        self.refs_ = np.array([o.ref for o in opps], dtype=object)
        self.products_ = _as_mapping(products, "code")
        self.chains_ = _as_mapping(chains, "slug")
        self.counties_ = _as_mapping(counties, "slug")
        self.graph_ = graph

        self._fit_text(opps)

        # Money and financing.
        self.investment_min_ = np.array([o.investment_min_rials for o in opps], dtype=np.float64)
        self.investment_max_ = np.maximum(
            np.array([o.investment_max_rials for o in opps], dtype=np.float64), self.investment_min_
        )
        self.cover_ = np.minimum(
            np.array([sum(max(f.share, 0.0) for f in o.financing) for o in opps], dtype=np.float64), self.max_cover
        )
        self.need_ = (1.0 - self.cover_) * self.investment_min_
        # Per-query arithmetic is float32 on precomputed reciprocals and thresholds.
        with np.errstate(divide="ignore"):
            self._inv_need = (1.0 / self.need_).astype(np.float32)  # inf where nothing is needed
        self._need_floor = self.need_ * (1.0 - self.capital_tolerance)
        self._capital_limit = self.capital_above * self.investment_max_

        # Counties, suited types, gap priority.
        self.county_index_ = {}
        self.county_ix_ = np.array(
            [self.county_index_.setdefault(o.county, len(self.county_index_)) for o in opps], dtype=np.int32
        )
        self.suited_mask_ = np.array(
            [sum(type_bit(t) for t in set(o.suited_for)) for o in opps], dtype=np.uint8
        )
        self._type_excluded_cache = {}  # type bit -> int8 suited array, filled by rules()
        prio = gap_priority or {}
        self.gap_priority_ = np.clip(
            np.array([prio.get(o.ref, prio.get(o.product, 0.0)) for o in opps], dtype=np.float32), 0.0, 1.0
        )

        # Sector and chain tags.
        self.tag_index_ = {}
        rows, cols = [], []
        for i, o in enumerate(opps):
            p = self.products_.get(o.product)
            if p is None:
                continue
            for tag in {p.sector, *p.chains} - {""}:
                rows.append(self.tag_index_.setdefault(tag, len(self.tag_index_)))
                cols.append(i)
        self.tags_T_ = sp.csr_matrix(
            (np.ones(len(rows), np.float32), (rows, cols)), shape=(len(self.tag_index_), n)
        )

        self._fit_adjacency(opps, graph)
        self.linker_ = ProductLinker().fit(self.products_)
        return self

    def __getstate__(self):
        # What a process caches on its index after loading it (matching.explain.document_terms) is not saved.
        state = super().__getstate__()
        state.pop("_document_terms", None)
        return state

    def _document(self, o: Opportunity) -> str:
        parts = [o.title_fa, o.title_en, o.description_fa, o.description_en]
        p = self.products_.get(o.product)
        if p is not None:
            parts += [p.name_fa, p.name_en]
            for slug in (p.sector, *p.chains):
                c = self.chains_.get(slug)
                parts += [c.name_fa, c.name_en] if c is not None else [slug.replace("_", " ")]
        return " ".join(parts)

    def _fit_text(self, opps: tuple[Opportunity, ...]) -> None:
        words: dict[str, int] = {}
        indptr = [0]
        indices: list[int] = []
        for o in opps:
            for w in terms(self._document(o)):
                indices.append(words.setdefault(w, len(words)))
            indptr.append(len(indices))
        doc_words = sp.csr_matrix(
            (np.ones(len(indices), np.float32), np.array(indices, dtype=np.int32), np.array(indptr, dtype=np.int64)),
            shape=(len(opps), len(words)),
        )
        doc_words.sum_duplicates()
        vocab = list(words) or [""]
        # The words are already content terms: count their n-grams without preprocessing them again.
        grams = CountVectorizer(analyzer="char_wb", ngram_range=self.ngram_range, lowercase=False, dtype=np.float32)
        word_grams = grams.fit_transform(vocab) if words else None
        if word_grams is None:  # nothing to index: an empty vocabulary that matches nothing
            self.vectorizer_ = CountVectorizer(
                analyzer="char_wb", ngram_range=self.ngram_range, preprocessor=content_text, dtype=np.float32,
                vocabulary={"  ": 0},
            ).fit([""])
            counts = sp.csr_matrix((len(opps), 1), dtype=np.float32)
        else:
            counts = (doc_words @ word_grams).tocsr()
            counts.sum_duplicates()
            df = np.bincount(counts.indices, minlength=counts.shape[1])
            keep = df <= self.max_df * len(opps)
            if not keep.any():
                keep[:] = True
            names = grams.get_feature_names_out()[keep]
            self.vectorizer_ = CountVectorizer(
                analyzer="char_wb", ngram_range=self.ngram_range, preprocessor=content_text,
                dtype=np.float32, vocabulary={g: k for k, g in enumerate(names)},
            ).fit(vocab)
            counts = counts[:, np.flatnonzero(keep)]
        # An empty province still gets a fitted (all-zero) model, so queries return empty results.
        self.tfidf_ = TfidfTransformer(sublinear_tf=self.sublinear_tf).fit(
            counts if counts.shape[0] else sp.csr_matrix((1, counts.shape[1]), dtype=np.float32)
        )
        X = self.tfidf_.transform(counts).astype(np.float32) if counts.shape[0] else counts
        self.text_T_ = X.T.tocsr()
        self.text_T_.sort_indices()
        self.__dict__.pop("_query_parts", None)  # text_vector's cached analyzer, vocabulary and idf

    def _fit_adjacency(self, opps: tuple[Opportunity, ...], graph: nx.DiGraph | None) -> None:
        index: dict[str, int] = {}
        for o in opps:
            index.setdefault(o.product, len(index))
        uniq = np.arange(len(index))
        if graph is not None:
            for code in graph.nodes:
                index.setdefault(code, len(index))
        self.product_index_ = index
        self.opp_product_ix_ = np.array([index[o.product] for o in opps], dtype=np.int32)
        m = len(index)
        eye = sp.identity(m, dtype=np.float32, format="csr")
        if graph is None or graph.number_of_edges() == 0:
            M = eye
        else:
            src = np.fromiter((index[u] for u, _ in graph.edges), dtype=np.int64, count=graph.number_of_edges())
            dst = np.fromiter((index[v] for _, v in graph.edges), dtype=np.int64, count=graph.number_of_edges())
            A = sp.csr_matrix((np.ones(len(src), np.float32), (src, dst)), shape=(m, m))
            A.data[:] = 1.0  # duplicate edges collapse to one
            A2 = A @ A
            A2.data[:] = 0.5
            up = A.maximum(A2)  # [p, o]: p supplies o directly (1) or via one step (1/2)
            M = up.maximum(up.T.tocsr()).maximum(eye)
        self.adjacency_ = M.tocsc()[:, uniq].tocsr().astype(np.float32)
        self.adjacency_.sort_indices()

    # ------------------------------------------------------------ queries
    @property
    def n_opportunities_(self) -> int:
        check_is_fitted(self, "refs_")
        return len(self.refs_)

    def text_vector(self, text: str) -> sp.csr_matrix:
        """The L2-normalised TF-IDF row vector of ``text`` (shape ``(1, n_features)``).

        Equal to ``tfidf_.transform(vectorizer_.transform([text]))`` (a test checks it), computed directly
        from the analyzer's n-grams: scikit-learn's two transforms cost ten times the arithmetic on a
        one-line query.
        """
        indices, data = self._text_terms(text)
        return sp.csr_matrix((data, indices, np.array([0, len(indices)], dtype=np.int32)),
                             shape=(1, len(self.tfidf_.idf_)))

    def _text_terms(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`text_vector`'s non-zeros: sorted feature indices (int32) and their weights (float32)."""
        check_is_fitted(self, "tfidf_")
        fast = self.__dict__.get("_query_parts")
        if fast is None:
            fast = self._query_parts = (self.vectorizer_.build_analyzer(), self.vectorizer_.vocabulary_,
                                        np.asarray(self.tfidf_.idf_, dtype=np.float64))
        analyze, vocab, idf = fast
        counts: dict[int, int] = {}
        for gram in analyze(text or ""):
            j = vocab.get(gram)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        if not counts:
            return np.empty(0, dtype=np.int32), np.empty(0, dtype=np.float32)
        indices = np.fromiter(sorted(counts), dtype=np.int32, count=len(counts))
        tf = np.array([counts[j] for j in indices.tolist()], dtype=np.float64)
        if self.tfidf_.sublinear_tf:
            tf = np.log(tf) + 1.0
        data = tf * idf[indices]
        data /= np.sqrt(np.dot(data, data))
        return indices, data.astype(np.float32)

    def text_similarity(self, text: str) -> np.ndarray:
        """Cosine similarity of ``text`` to every opportunity, shape ``(n_opportunities,)``, float32 in [0, 1].

        ``text_vector(text) @ text_T_`` restricted to the query's n-grams, i.e. ``q.data @ text_T_[q.indices]``
        (a test checks it), computed by :func:`_rows_times` with scipy's own kernels without building the
        intermediate matrices.
        """
        indices, data = self._text_terms(text)
        out = _rows_times(self.text_T_, indices, data)
        # TF-IDF weights are non-negative, so the product is too; only rounding can pass 1.
        return np.minimum(out, np.float32(1.0), out=out)
    def adjacency(self, products: Iterable[str]) -> np.ndarray:
        """Chain-adjacency signal of an applicant making ``products``, shape ``(n_opportunities,)``."""
        return self._adjacency_cols(products)[self.opp_product_ix_]

    def _adjacency_cols(self, products: Iterable[str]) -> np.ndarray:
        """:meth:`adjacency` per opportunity *product* (column of ``adjacency_``), before the row gather."""
        check_is_fitted(self, "adjacency_")
        rows = [self.product_index_[p] for p in set(products) if p in self.product_index_]
        best = np.zeros(self.adjacency_.shape[1], dtype=np.float32)
        A = self.adjacency_
        for r in rows:
            lo, hi = A.indptr[r], A.indptr[r + 1]
            cols = A.indices[lo:hi]
            best[cols] = np.maximum(best[cols], A.data[lo:hi])
        return best

    def capital_fit(self, capital: float, rows=None) -> np.ndarray:
        """Capital-fit signal for ``capital`` rials, shape ``(n_opportunities,)`` (or of ``rows`` only)."""
        check_is_fitted(self, "need_")
        capital = float(max(capital, 0))
        inv = self._inv_need if rows is None else self._inv_need[rows]
        with np.errstate(invalid="ignore"):
            fit = np.fmin(np.float32(capital) * inv, np.float32(1.0))  # 0 * inf is nan -> 1
        fit *= fit
        if rows is None:  # the rows whose limit is below the capital: a prefix of the rows sorted by limit
            order, limits = self._derived("limit_order")
            m = int(np.searchsorted(limits, capital, side="left"))
            if m > len(fit) // 8:
                # Many rows: one dense pass on 1 + 0.1 log2(limit), precomputed, instead of a scatter.
                pen = np.subtract(self._derived("log_limit"), np.float32(0.1 * math.log2(capital)))
                np.clip(pen, np.float32(0.5), np.float32(1.0), out=pen)
                fit *= pen
                return fit
            over, limit = order[:m], limits[:m]
        else:
            limit = self._capital_limit[rows]
            over = np.flatnonzero(capital > limit)
            limit = limit[over]
        if len(over):
            fit[over] *= np.maximum(0.5, 1.0 - 0.1 * np.log2(capital / limit))
        return fit

    def _derived(self, name: str):
        """Lookup tables computed from the fitted arrays on first use (so an index saved before they
        existed still loads): ``limit_order`` (rows sorted by capital limit, and the sorted limits),
        ``log_limit`` (``1 + 0.1 log2`` of each capital limit),
        ``product_rows`` / ``county_rows`` (``(indptr, rows)`` grouping the rows by ``opp_product_ix_`` /
        ``county_ix_``)."""
        cache = self.__dict__.setdefault("_derived_cache", {})
        out = cache.get(name)
        if out is None:
            if name == "limit_order":
                order = np.argsort(self._capital_limit, kind="stable")
                out = (order, self._capital_limit[order])
            elif name == "log_limit":  # 1 + 0.1 log2(limit): the over-capital penalty is this - 0.1 log2(capital)
                with np.errstate(divide="ignore"):
                    out = (1.0 + 0.1 * np.log2(self._capital_limit)).astype(np.float32)
            else:
                keys = self.opp_product_ix_ if name == "product_rows" else self.county_ix_
                size = self.adjacency_.shape[1] if name == "product_rows" else len(self.county_index_)
                indptr = np.zeros(size + 1, dtype=np.int64)
                np.cumsum(np.bincount(keys, minlength=size), out=indptr[1:])
                out = (indptr, np.argsort(keys, kind="stable"))
            cache[name] = out
        return out

    def constant_part(self, intercept: float, w_gap: float, extra: float = 0.0) -> np.ndarray:
        """``intercept + extra + w_gap * gap_priority_`` (float32): the part of a logit that depends on the
        scorer only, computed once per scorer (a read-only array; copy before changing it)."""
        key = (float(intercept), float(w_gap), float(extra))
        cache = self.__dict__.setdefault("_constant_cache", {})
        out = cache.get(key)
        if out is None:
            if len(cache) >= 8:
                cache.clear()
            out = self.gap_priority_ * np.float32(w_gap)
            out += np.float32(intercept + extra)
            out.flags.writeable = False
            cache[key] = out
        return out

    def rows_of(self, name: str, keys: np.ndarray) -> np.ndarray:
        """Rows whose opportunity product (``name="product_rows"``) or county (``"county_rows"``) is
        one of ``keys`` (distinct codes), in no particular order, without a pass over all rows."""
        indptr, rows = self._derived(name)
        keys = np.asarray(keys, dtype=np.int64)
        lo, hi = indptr[keys], indptr[keys + 1]
        counts = hi - lo
        total = int(counts.sum())
        if total == 0:
            return np.empty(0, dtype=np.int64)
        # The concatenated ranges lo[j]:hi[j], vectorised: position p of range j reads lo[j] + (p - start[j]).
        starts = np.cumsum(counts) - counts
        return rows[np.arange(total) + np.repeat(lo - starts, counts)]

    def _county_lut(self, counties: Iterable[str]) -> np.ndarray:
        lut = np.zeros(len(self.county_index_) + 1, dtype=bool)
        for c in counties:
            if c in self.county_index_:
                lut[self.county_index_[c]] = True
        return lut

    def signals(self, applicant: Applicant, linked=None) -> np.ndarray:
        """All soft signals of ``applicant`` against every opportunity.

        Parameters
        ----------
        applicant : Applicant
        linked : sequence of LinkedProduct, optional
            The products the applicant's text names, as confirmed (:meth:`confirmed_links`); ``None``
            links ``applicant.skills`` as :meth:`link` does.

        Returns
        -------
        numpy.ndarray of float32, shape (n_opportunities, len(SIGNALS))
            Columns in the order of :data:`SIGNALS`, every value in [0, 1]. The
        array is Fortran-ordered (each signal contiguous), which is what the
        scorer's matrix-vector product wants.
        """
        return self.query(applicant, linked).signals()

    def query(self, applicant: Applicant, linked=None) -> Query:
        """What one applicant's ranking needs from the index (see :class:`Query`); ``linked`` as in :meth:`signals`."""
        check_is_fitted(self, "refs_")
        weights = self.applicant_products(applicant, linked)
        return Query(self, applicant, self.text_similarity(applicant.skills),
                     self._adjacency_cols(applicant.products), self._product_cols(weights, made=applicant.products))

    def applicant_products(self, applicant: Applicant, linked=None) -> dict[str, float]:
        """Product code → weight: the products the applicant makes (1) and those its text names (link score).

        ``linked`` (a sequence of :class:`matching.linking.LinkedProduct`, e.g. what the clerk confirmed)
        replaces linking ``applicant.skills`` when given.
        """
        out = dict.fromkeys(applicant.products, 1.0)
        if linked is None:
            named = self.link_weights(applicant.skills)
        else:
            named = {x.code: float(x.score) for x in linked}
        for code, score in named.items():
            out[code] = max(out.get(code, 0.0), score)
        return out

    def confirmed_links(self, text: str, linked) -> tuple[LinkedProduct, ...]:
        """``linked`` (LinkedProduct or product codes, e.g. what a clerk kept ticked) as LinkedProduct.

        A code that :meth:`link` finds in ``text`` keeps its link score and words; any other code
        counts as named outright (score 1). ``None`` is :meth:`link` of ``text``, unchanged.
        """
        auto = self.link(text)
        if linked is None:
            return auto
        found = {x.code: x for x in auto}
        out: dict[str, LinkedProduct] = {}
        for x in linked:
            item = x if isinstance(x, LinkedProduct) else found.get(str(x), LinkedProduct(str(x), 1.0))
            out.setdefault(item.code, item)
        return tuple(out.values())

    def link_weights(self, text: str, k: int = MAX_LINKED, min_score: float = MIN_LINK_SCORE) -> dict[str, float]:
        """Code → link score of :meth:`link`, without the matched words: what the ranking needs."""
        linker = getattr(self, "linker_", None)
        if linker is None:
            return {}
        last = getattr(self, "_last_link", None)
        if last is not None and last[0] == (text, k, min_score):
            return {x.code: float(x.score) for x in last[1]}
        return linker.weights(text, k=k, min_score=min_score)

    def link(self, text: str, k: int = MAX_LINKED, min_score: float = MIN_LINK_SCORE):
        """The products ``text`` names (:meth:`matching.linking.ProductLinker.link` over the indexed products)."""
        linker = getattr(self, "linker_", None)
        if linker is None:
            return ()
        key = (text, k, min_score)
        last = getattr(self, "_last_link", None)  # one query links the same text for signals and reasons
        if last is not None and last[0] == key:
            return last[1]
        out = linker.link(text, k=k, min_score=min_score)
        self._last_link = (key, out)
        return out

    def product_fit(self, weights: Mapping[str, float], made: Iterable[str] | None = None) -> np.ndarray:
        """Product-fit signal of weighted products (see ``product`` in the module docstring).

        ``made``: the codes the applicant makes; the others in ``weights`` were only named, and their
        neighbours weigh :data:`NAMED_NEIGHBOUR` less. ``None`` treats every product as made.
        """
        return self._product_cols(weights, made)[self.opp_product_ix_]

    def _product_cols(self, weights: Mapping[str, float], made: Iterable[str] | None = None) -> np.ndarray:
        """:meth:`product_fit` per opportunity *product* (column of ``adjacency_``), before the row gather."""
        check_is_fitted(self, "adjacency_")
        A = self.adjacency_
        best = np.zeros(A.shape[1], dtype=np.float32)
        made = set(weights) if made is None else set(made)
        for code, w in weights.items():
            r = self.product_index_.get(code)
            if r is None or w <= 0:
                continue
            near, far = NEIGHBOUR_FIT if code in made else (x * NAMED_NEIGHBOUR for x in NEIGHBOUR_FIT)
            lo, hi = A.indptr[r], A.indptr[r + 1]
            cols = A.indices[lo:hi]
            vals = np.where(A.data[lo:hi] >= 1.0, near, far).astype(np.float32) * np.float32(w)
            vals[cols == r] = w  # the product itself (opportunity products are the first columns)
            best[cols] = np.maximum(best[cols], vals)
        return best

    def rules(self, applicant: Applicant, *, strict_counties: bool = False) -> np.ndarray:
        """The first hard rule excluding each opportunity.

        Parameters
        ----------
        applicant : Applicant
        strict_counties : bool, default=False
            Treat the applicant's counties as a hard rule (only if it named any).

        Returns
        -------
        numpy.ndarray of int8, shape (n_opportunities,)
            Index into :data:`RULES`, or ``-1`` where the opportunity is open to the applicant.
        """
        check_is_fitted(self, "refs_")
        bit = type_bit(applicant.applicant_type)
        # Branch-free int8 arithmetic (a masked assignment with a scattered mask costs 20× more):
        # -1 open, 1 capital; +3 turns an open one outside strict counties into 2; × 0 where the type
        # is not suited. So the first rule in RULES order wins, as documented.
        short = applicant.capital_rials < self._need_floor
        out = short.view(np.int8) * np.int8(2)
        out -= np.int8(1)
        if strict_counties and applicant.counties:
            elsewhere = ~self._county_lut(applicant.counties)[self.county_ix_]
            elsewhere &= ~short
            out += elsewhere.view(np.int8) * np.int8(3)
        out *= self._type_suited(bit)
        return out

    def _type_suited(self, bit: int) -> np.ndarray:
        """int8 1 where the type with ``bit`` is suited, 0 where not: computed once per type, then reused."""
        cache = self.__dict__.setdefault("_type_excluded_cache", {})
        out = cache.get(bit)
        if out is None:
            out = cache[bit] = ((self.suited_mask_ == 0) | ((self.suited_mask_ & bit) != 0)).astype(np.int8)
        return out


class Query:
    """One applicant against every opportunity, kept the way the ranking uses it.

    Only the text similarity is a dense array over all opportunities (one sparse product); adjacency and
    product fit are kept per opportunity *product* (a few hundred non-zeros), sector as a set of rows,
    and the rest is read from the index per row. :meth:`signals` builds signal rows for any rows, equal
    to :meth:`MatchIndex.signals`; :meth:`content_rows` lists the few rows where the sparse signals are
    non-zero, so a ranking adds them there instead of making passes over every opportunity.

    Attributes
    ----------
    index : MatchIndex
    applicant : Applicant
    text : numpy.ndarray of float32, shape (n_opportunities,)
        The ``text`` signal.
    adjacency_cols, product_cols : numpy.ndarray of float32, shape (n_opportunity_products,)
        The ``adjacency`` and ``product`` signals per column of ``index.adjacency_``.
    sector_rows : numpy.ndarray of int64
        Sorted rows whose product has one of the applicant's sectors or chains (``sector`` = 1).
    """

    def __init__(self, index: MatchIndex, applicant: Applicant, text, adjacency_cols, product_cols):
        self.index = index
        self.applicant = applicant
        self.text = text
        self.adjacency_cols = adjacency_cols
        self.product_cols = product_cols
        self._content = None
        T = index.tags_T_
        parts = [T.indices[T.indptr[r] : T.indptr[r + 1]]
                 for r in (index.tag_index_.get(x) for x in set(applicant.sectors)) if r is not None]
        rows = np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)
        self.sector_rows = (np.unique(rows) if len(parts) > 1 else np.sort(rows)).astype(np.int64)

    def content_rows(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The rows where ``adjacency`` or ``product`` is non-zero, and those two signals there
        (computed once per query: the ranking and the key both read them).

        Returns
        -------
        rows : numpy.ndarray of int64 (distinct)
        adjacency, product : numpy.ndarray of float32, shape (len(rows),)
        """
        if self._content is None:
            cols = np.flatnonzero((self.adjacency_cols > 0) | (self.product_cols > 0))
            rows = self.index.rows_of("product_rows", cols)
            col = self.index.opp_product_ix_[rows]
            self._content = (rows, self.adjacency_cols[col], self.product_cols[col])
        return self._content

    def in_sector(self, rows: np.ndarray) -> np.ndarray:
        """Whether each of ``rows`` is a sector row (a binary search in the sorted :attr:`sector_rows`)."""
        found = self.sector_rows
        if len(found) == 0:
            return np.zeros(len(rows), dtype=bool)
        pos = np.searchsorted(found, rows)
        np.minimum(pos, len(found) - 1, out=pos)
        return found[pos] == rows

    def county_rows(self) -> np.ndarray | None:
        """Rows in one of the applicant's counties; ``None`` when it named none (the neutral value)."""
        counties = self.applicant.counties
        if not counties:
            return None
        ix = self.index.county_index_
        return self.index.rows_of("county_rows", np.array(sorted({ix[c] for c in counties if c in ix}),
                                                          dtype=np.int64))

    def signals(self, rows=None) -> np.ndarray:
        """Signal rows (columns in :data:`SIGNALS` order) of ``rows``, or of every opportunity when ``None``.

        Returns
        -------
        numpy.ndarray of float32, shape (len(rows), len(SIGNALS))
            Fortran-ordered (each signal contiguous), which is what the scorer's products want.
        """
        index, a = self.index, self.applicant
        sel = slice(None) if rows is None else np.asarray(rows, dtype=np.int64)
        col = index.opp_product_ix_[sel]
        n = len(col)
        out = np.empty((len(SIGNALS), n), dtype=np.float32)  # one contiguous row per signal
        out[0] = self.text[sel]
        out[1] = self.adjacency_cols[col]
        out[2] = index.capital_fit(a.capital_rials, None if rows is None else sel)
        if a.counties:
            out[3] = index._county_lut(a.counties)[index.county_ix_[sel]]
        else:
            out[3] = _NEUTRAL_COUNTY
        if rows is None:
            out[4] = 0.0
            out[4, self.sector_rows] = 1.0
        else:
            out[4] = self.in_sector(sel)
        out[5] = index.gap_priority_[sel]
        out[6] = self.product_cols[col]
        return out.T


def update_index(index: MatchIndex, opportunities: Iterable[Opportunity], **fit_params) -> MatchIndex:
    """Build a new fitted index with ``index``'s hyper-parameters, leaving ``index`` untouched.

    The web layer calls this off-request (a CLI command or a background job)
    and then swaps one reference, so requests in flight keep a consistent index.

    Examples
    --------
    >>> from chains.records import Opportunity
    >>> old = MatchIndex(capital_tolerance=0.2).fit([Opportunity("1", "a", "a", "01", "x", "y", 1, 2)])
    >>> new = update_index(old, [])
    >>> new is old, new.capital_tolerance, len(old.refs_)
    (False, 0.2, 1)
    """
    return clone(index).fit(opportunities, **fit_params)


def signals_reference(index: MatchIndex, applicant: Applicant, *, by_opportunity=None) -> np.ndarray:
    """The signals of :meth:`MatchIndex.signals`, computed one opportunity at a time in Python.

    This is the naive implementation the vectorised one is checked and
    benchmarked against; it is O(n) Python work per query and not for serving.

    Parameters
    ----------
    index : MatchIndex
    applicant : Applicant
    by_opportunity : scipy.sparse.csr_matrix, optional
        ``index.text_T_.T.tocsr()`` (one TF-IDF row per opportunity, as a naive
        implementation would hold them); computed when not given.
    """
    check_is_fitted(index, "refs_")
    q = index.text_vector(applicant.skills)
    qd = dict(zip(q.indices.tolist(), q.data.tolist(), strict=True))
    X = index.text_T_.T.tocsr() if by_opportunity is None else by_opportunity
    A = index.adjacency_
    near = []  # per product the applicant makes: {opportunity product column: weight}
    for p in set(applicant.products):
        r = index.product_index_.get(p)
        if r is not None:
            lo, hi = A.indptr[r], A.indptr[r + 1]
            near.append(dict(zip(A.indices[lo:hi].tolist(), A.data[lo:hi].tolist(), strict=True)))
    counties = set(applicant.counties)
    sectors = set(applicant.sectors)
    prod_weights = index.applicant_products(applicant)
    rows = []
    for i, o in enumerate(index.opportunities_):
        lo, hi = X.indptr[i], X.indptr[i + 1]
        text = sum(qd.get(j, 0.0) * v for j, v in zip(X.indices[lo:hi].tolist(), X.data[lo:hi].tolist(), strict=True))
        col = int(index.opp_product_ix_[i])
        adj = 0.0
        for weights in near:
            adj = max(adj, weights.get(col, 0.0))
        need = index.need_[i]
        ratio = applicant.capital_rials / need if need > 0 else math.inf
        cap = min(ratio, 1.0) ** 2
        over = applicant.capital_rials / (index.capital_above * index.investment_max_[i])
        if over > 1.0:
            cap *= max(0.5, 1.0 - 0.1 * math.log2(over))
        county = (1.0 if o.county in counties else 0.0) if counties else _NEUTRAL_COUNTY
        p = index.products_.get(o.product)
        tags = {p.sector, *p.chains} - {""} if p is not None else set()
        sector = 1.0 if sectors & tags else 0.0
        prod = 0.0
        for code, w in prod_weights.items():
            r = index.product_index_.get(code)
            if r is None:
                continue
            if r == col:
                prod = max(prod, w)
            else:
                d = index.adjacency_[r, col]
                if d > 0:
                    scale = 1.0 if code in applicant.products else NAMED_NEIGHBOUR
                    prod = max(prod, w * scale * (NEIGHBOUR_FIT[0] if d >= 1.0 else NEIGHBOUR_FIT[1]))
        rows.append((min(max(text, 0.0), 1.0), adj, cap, county, sector, float(index.gap_priority_[i]), prod))
    return np.array(rows, dtype=np.float32).reshape(len(rows), len(SIGNALS))
