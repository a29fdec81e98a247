"""Fixtures for the recommender tests: a small synthetic province and record factories."""

from __future__ import annotations

import pytest

from chains.records import Applicant, Opportunity, Product
from matching.features import MatchIndex
from matching.model import MatchScorer
from matching.synthetic import make_dataset, relevance


@pytest.fixture(scope="session")
def province():
    """Synthetic province (seed 0): 300 products, 600 opportunities, 300 applicants."""
    return make_dataset(n_products=300, n_opportunities=600, n_applicants=300, seed=0)


@pytest.fixture(scope="session")
def province_relevance(province):
    return relevance(province)


@pytest.fixture(scope="session")
def province_index(province):
    return MatchIndex().fit(
        province.opportunities,
        province.graph,
        province.gap_priority,
        province.products,
        chains=province.chains,
        counties=province.counties,
    )


@pytest.fixture(scope="session")
def default_scorer():
    return MatchScorer.default()


@pytest.fixture
def make_opportunity():
    """Callable factory: an opportunity with sensible defaults, any field overridable."""

    def make(ref="OPP-1", **kw):
        fields = dict(
            title_fa="خط بسته‌بندی پنیر در مرند",
            title_en="Cheese packaging line in Marand",
            product="0406",
            county="marand",
            agency="agriculture",
            investment_min_rials=10_000_000_000,
            investment_max_rials=30_000_000_000,
            description_fa="بسته‌بندی پنیر و لبنیات",
            description_en="packaging of cheese and dairy products",
        )
        fields.update(kw)
        return Opportunity(ref=ref, **fields)

    return make


@pytest.fixture
def make_applicant():
    def make(ref="APP-1", **kw):
        fields = dict(applicant_type="cooperative", capital_rials=20_000_000_000, skills="")
        fields.update(kw)
        return Applicant(ref=ref, **fields)

    return make


@pytest.fixture
def dairy_products():
    return [
        Product("0401", "شیر", "milk", "dairy", "raw", chains=("dairy",)),
        Product("0406", "پنیر", "cheese", "dairy", "intermediate", chains=("dairy",)),
        Product("4819", "جعبه مقوایی", "cartons", "paper", "intermediate", chains=("paper",)),
        Product("0102", "گاو زنده", "live cattle", "dairy", "raw", chains=("dairy",)),
        Product("8703", "خودرو", "cars", "automotive", "final", chains=("automotive",)),
    ]
