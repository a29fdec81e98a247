"""Shared test setup that needs no Flask: paths and the shared reference data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data (or PANJEREH_SHARED_DATA); tests that need it skip with a reason when absent."""
    path = Path(os.environ.get("PANJEREH_SHARED_DATA", ROOT.parent / "shared" / "data"))
    if not path.is_dir():
        pytest.skip(f"{path} not found: outside reference data is only on development and CI machines")
    return path
