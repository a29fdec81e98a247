"""Pure matching domain: applicant/opportunity features, the recommender, explanations.

Never imports Flask, SQLAlchemy or anything from ``app``.

Modules
-------
normalize
    ``normalize_text`` / ``fold``: one spelling for Arabic/Persian letters, ZWNJ, digits.
features
    ``MatchIndex``: fitted once on the published opportunities, the chain graph,
    gap priorities and product records; scores one applicant against all of
    them with sparse-matrix/NumPy operations. ``update_index`` rebuilds off-request.
model
    ``MatchScorer`` (logistic regression over the signals; ``default()``,
    ``fit``, ``save``/``load``) and ``recommend(index, scorer, applicant, k, lang)``
    returning a ``MatchResult`` of ``Match``/``Reason`` and near-miss ``Exclusion``.
reverse
    ``score_applicants``: many applicants against one opportunity in one pass (reverse look-up).
explain
    The Persian and English sentences behind every reason and exclusion.
synthetic, evaluate
    A deterministic synthetic province with hidden preferences, nDCG@k and
    precision@k, feedback collection and ``train_scorer``.

Typical use from the web layer::

    index = MatchIndex().fit(opportunities, graph, gap_priority, products,
                             chains=chains, counties=counties)   # off-request
    scorer = MatchScorer.load(path)        # or MatchScorer.default()
    result = recommend(index, scorer, applicant, k=20, lang="fa")
"""
