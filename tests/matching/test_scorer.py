"""The scorer: documented defaults, learning from feedback, and one saved model for every worker."""

import joblib
import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from matching.features import SIGNALS
from matching.model import DEFAULT_INTERCEPT, DEFAULT_WEIGHTS, SCORER_FORMAT, MatchScorer


def test_default_scorer_uses_the_documented_weights():
    scorer = MatchScorer.default()
    assert scorer.weights() == pytest.approx(DEFAULT_WEIGHTS)
    assert scorer.intercept_ == DEFAULT_INTERCEPT
    assert scorer.version_ == "default-1" and scorer.n_feedback_ == 0


def test_default_scores_agree_with_logistic_regression_predict_proba():
    X = np.random.default_rng(0).random((50, len(SIGNALS))).astype(np.float32)
    scorer = MatchScorer.default()
    np.testing.assert_allclose(scorer.score(X), scorer.predict_proba(X)[:, 1], rtol=1e-5)


def test_fitting_on_feedback_learns_that_the_relevant_signal_matters():
    rng = np.random.default_rng(1)
    X = rng.random((400, len(SIGNALS)))
    y = (X[:, SIGNALS.index("county")] > 0.5).astype(int)
    scorer = MatchScorer().fit(X, y)
    w = scorer.weights()
    assert w["county"] == max(w.values())
    assert scorer.version_.startswith("trained-") and scorer.n_feedback_ == 400


def test_feedback_with_one_label_only_is_refused():
    with pytest.raises(ValueError, match="both"):
        MatchScorer().fit(np.zeros((3, len(SIGNALS))), [1, 1, 1])


def test_feedback_with_the_wrong_columns_is_refused():
    with pytest.raises(ValueError, match="columns"):
        MatchScorer().fit(np.zeros((2, 3)), [0, 1])


def test_an_unfitted_scorer_refuses_to_score():
    with pytest.raises(NotFittedError):
        MatchScorer().score(np.zeros((1, len(SIGNALS))))


def test_a_saved_scorer_loads_with_the_same_weights_and_version(tmp_path):
    rng = np.random.default_rng(2)
    X = rng.random((200, len(SIGNALS)))
    y = (X[:, 0] + X[:, 1] > 1).astype(int)
    scorer = MatchScorer(C=0.5).fit(X, y)
    path = tmp_path / "scorer.joblib"
    scorer.save(path)
    loaded = MatchScorer.load(path)
    assert loaded.version_ == scorer.version_ and loaded.C == 0.5
    np.testing.assert_array_equal(loaded.score(X), scorer.score(X))
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_loading_a_file_of_another_format_is_refused(tmp_path):
    path = tmp_path / "other.joblib"
    joblib.dump({"format": "something-else"}, path)
    with pytest.raises(ValueError, match=SCORER_FORMAT):
        MatchScorer.load(path)
    joblib.dump({"format": SCORER_FORMAT, "signals": ("text",)}, path)
    with pytest.raises(ValueError, match="signals"):
        MatchScorer.load(path)


def _six_signal_file(path):
    """A scorer file as the release before the ``product`` signal saved it."""
    old = tuple(s for s in SIGNALS if s != "product")
    joblib.dump({"format": SCORER_FORMAT, "signals": old, "params": {"C": 1.0, "class_weight": "balanced",
                 "max_iter": 1000}, "coef": np.ones(len(old)), "intercept": -3.0, "version": "trained-0123456789ab",
                 "n_feedback": 500}, path)


def test_a_scorer_saved_before_the_product_signal_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "old.joblib"
    _six_signal_file(path)
    with pytest.raises(ValueError, match=r"weighs 6 signals .* computes 7 .*older release.*flask matching train"):
        MatchScorer.load(path)


@pytest.mark.parametrize("content", ["six", "garbage", "coef"])
def test_with_fallback_an_unusable_scorer_file_logs_a_warning_and_the_defaults_serve(tmp_path, caplog, content):
    path = tmp_path / "old.joblib"
    if content == "six":
        _six_signal_file(path)
    elif content == "garbage":
        path.write_bytes(b"not a joblib file")
    else:
        joblib.dump({"format": SCORER_FORMAT, "signals": SIGNALS, "coef": np.ones(3)}, path)
    with caplog.at_level("WARNING", logger="matching"):
        scorer = MatchScorer.load(path, fallback=True)
    assert scorer.version_ == MatchScorer.default().version_
    np.testing.assert_array_equal(scorer.coef_, MatchScorer.default().coef_)
    assert "default weights" in caplog.text and str(path) in caplog.text
