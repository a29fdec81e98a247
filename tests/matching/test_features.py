"""The opportunity index: TF-IDF, adjacency, capital fit, and agreement with the naive loop."""

import joblib
import networkx as nx
import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer

from chains.gaps import KINDS
from chains.records import FinancingRoute
from matching.explain import GAP_NAMES
from matching.features import SIGNALS, MatchIndex, _rows_times, signals_reference, update_index
from matching.normalize import content_text
from matching.synthetic import _GAP_KINDS


def test_text_index_equals_a_plain_char_wb_tfidf_vectorizer(province_index):
    docs = [province_index._document(o) for o in province_index.opportunities_]
    reference = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 4), preprocessor=content_text, sublinear_tf=True, max_df=0.3
    ).fit(docs)
    assert province_index.max_df == 0.3
    X_ref = reference.transform(docs)
    names = province_index.vectorizer_.get_feature_names_out()
    order = [reference.vocabulary_[g] for g in names]
    assert set(names) == set(reference.vocabulary_)
    X = province_index.text_T_.T.toarray()
    np.testing.assert_allclose(X, X_ref[:, order].toarray(), rtol=1e-5, atol=1e-6)


def test_vectorised_signals_equal_the_per_opportunity_loop(province, province_index):
    for applicant in province.applicants[:15]:
        np.testing.assert_allclose(
            province_index.signals(applicant), signals_reference(province_index, applicant), rtol=1e-5, atol=1e-6
        )


def test_signals_have_one_column_per_signal_and_stay_in_unit_interval(province, province_index):
    s = province_index.signals(province.applicants[0])
    assert s.shape == (len(province.opportunities), len(SIGNALS))
    assert s.min() >= 0 and s.max() <= 1


def test_chain_adjacency_weighs_one_over_distance_in_both_directions(make_opportunity, make_applicant):
    # milk -> cheese -> cheese packaging; cattle -> milk.
    graph = nx.DiGraph([("0102", "0401"), ("0401", "0406"), ("0406", "4819")])
    opps = [make_opportunity(f"O{i}", product=code) for i, code in enumerate(["0406", "4819", "0102", "8703"])]
    index = MatchIndex().fit(opps, graph=graph)
    makes_milk = index.adjacency(["0401"])
    # cheese buys milk (1), packaging is two steps down (1/2), cattle supplies milk (1), cars are unrelated.
    np.testing.assert_allclose(makes_milk, [1.0, 0.5, 1.0, 0.0])
    np.testing.assert_allclose(index.adjacency(["0406"]), [1.0, 1.0, 0.5, 0.0])  # cattle: two steps up
    np.testing.assert_allclose(index.adjacency(["9999"]), [0, 0, 0, 0])


def test_capital_fit_is_one_when_capital_and_financing_cover_the_minimum(make_opportunity):
    opp = make_opportunity(
        investment_min_rials=10_000_000_000,
        investment_max_rials=20_000_000_000,
        financing=(FinancingRoute("bank", 0.2),),
    )
    index = MatchIndex().fit([opp])
    assert index.capital_fit(8_000_000_000)[0] == pytest.approx(1.0)
    assert index.capital_fit(4_000_000_000)[0] == pytest.approx(0.25)
    assert 0.5 <= index.capital_fit(10**13)[0] < 1.0  # far above the maximum: mild penalty
    assert index.capital_fit(0)[0] == 0.0


def test_financing_cover_is_capped_below_one(make_opportunity):
    opp = make_opportunity(financing=(FinancingRoute("bank", 0.7), FinancingRoute("leasing", 0.6)))
    index = MatchIndex(max_cover=0.9).fit([opp])
    assert index.cover_[0] == pytest.approx(0.9)


def test_unknown_gap_priority_is_zero_and_product_codes_work_as_keys(make_opportunity):
    opps = [make_opportunity("A"), make_opportunity("B", product="8703")]
    index = MatchIndex().fit(opps, gap_priority={"A": 0.8, "8703": 1.7})
    np.testing.assert_allclose(index.gap_priority_, [0.8, 1.0])
    assert MatchIndex().fit(opps).gap_priority_.tolist() == [0, 0]


def test_update_index_returns_a_new_index_and_leaves_the_old_one_serving(make_opportunity):
    old = MatchIndex(capital_tolerance=0.2).fit([make_opportunity("A")])
    new = update_index(old, [make_opportunity("A"), make_opportunity("B")])
    assert new is not old and new.capital_tolerance == 0.2
    assert list(old.refs_) == ["A"] and list(new.refs_) == ["A", "B"]


def test_an_empty_province_indexes_and_scores_nothing(make_applicant):
    index = MatchIndex().fit([])
    assert index.signals(make_applicant(skills="پنیر")).shape == (0, len(SIGNALS))


def test_an_unfitted_index_refuses_to_score(make_applicant):
    with pytest.raises(NotFittedError):
        MatchIndex().signals(make_applicant())


def test_unknown_applicant_type_is_an_error(make_opportunity, make_applicant):
    index = MatchIndex().fit([make_opportunity()])
    with pytest.raises(ValueError, match="unknown applicant type"):
        index.rules(make_applicant(applicant_type="alien"))


def test_a_saved_index_scores_exactly_like_the_original(tmp_path, province, province_index):
    path = tmp_path / "index.joblib"
    joblib.dump(province_index, path)
    loaded = joblib.load(path)
    applicant = province.applicants[0]
    np.testing.assert_array_equal(loaded.signals(applicant), province_index.signals(applicant))


def test_the_query_vector_equals_scikit_learns_two_transforms(province, province_index):
    index = province_index
    texts = [a.skills for a in province.applicants[:40]] + ["", "تولید", "پنير و شیر خام", "Cheese cheese CHEESE"]
    for text in texts:
        ref = index.tfidf_.transform(index.vectorizer_.transform([text])).astype(np.float32)
        ref.sort_indices()
        got = index.text_vector(text)
        assert got.shape == ref.shape and got.indices.tolist() == ref.indices.tolist(), text
        np.testing.assert_allclose(got.data, ref.data, rtol=1e-6, atol=1e-7)


def test_text_similarity_is_the_public_sparse_product(province, province_index):
    """text_similarity calls scipy's kernels directly; it must equal ``q @ text_T_`` through scipy's public API
    (and the fallback for another layout must too)."""
    index = province_index
    texts = [a.skills for a in province.applicants[:40]] + ["", "تولید", "zzzz", "Cheese cheese CHEESE"]
    for text in texts:
        q = index.text_vector(text)
        ref = np.clip(np.asarray((q @ index.text_T_).todense(), dtype=np.float32).ravel(), 0.0, 1.0)
        got = index.text_similarity(text)
        assert got.dtype == np.float32 and got.shape == (index.n_opportunities_,)
        np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-6)
        other = _rows_times(index.text_T_.astype(np.float64), q.indices, q.data)
        np.testing.assert_allclose(np.minimum(other, 1.0), ref, rtol=1e-5, atol=1e-6)


def test_gap_kinds_are_the_gap_engines_own():
    """explain.GAP_NAMES names every kind the gap engine produces, and the synthetic province uses only those."""
    assert set(GAP_NAMES) == set(KINDS)
    assert set(_GAP_KINDS) - {""} <= set(KINDS)


def test_the_document_terms_kept_on_the_index_are_the_documents_terms_and_are_not_saved(province_index):
    """matching.explain.document_terms keeps one term set per opportunity on the index (the reasons read them on
    every match); they equal the terms of the document and a pickled index leaves them out."""
    import pickle

    from matching.explain import document_terms, warm_document_terms
    from matching.normalize import term_set

    index = pickle.loads(pickle.dumps(province_index))  # a copy: the session's index stays as it was
    assert "_document_terms" not in index.__dict__
    assert warm_document_terms(index) == len(index.opportunities_) > 0
    for o in index.opportunities_:
        assert document_terms(index, o) == term_set(index._document(o))
    assert len(index.__dict__["_document_terms"]) == len({o.ref for o in index.opportunities_})
    again = pickle.loads(pickle.dumps(index))
    assert "_document_terms" not in again.__dict__
    assert document_terms(again, index.opportunities_[0]) == document_terms(index, index.opportunities_[0])
