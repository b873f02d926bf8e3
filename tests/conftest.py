"""Shared fixtures: the real corpus beside the repository, and a product home per test run."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Prefect reads its settings at import: give the whole test run its own product home.
_HOME = tempfile.mkdtemp(prefix="ogi-test-home-")
os.environ.setdefault("OGI_HOME", _HOME)

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
PINGTAN = SHARED / "corpus" / "pingtan"
DATA = Path(__file__).parent / "data"


def seed(name_prefix: str) -> Path:
    return next(SEEDS.glob(f"{name_prefix}_*.txt"))


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    assert SEEDS.is_dir(), f"the shared corpus is expected at {SEEDS}"
    return SEEDS


@pytest.fixture(scope="session")
def parsed_seeds(seeds_dir):
    """The parse stages run once on the five seeds."""
    from flows.discover import discover_files, parse_paths

    parsed = parse_paths(discover_files(seeds_dir))
    assert parsed["quarantine"].height == 0
    return parsed


@pytest.fixture(scope="session")
def prefect_api():
    """One Prefect API for the whole test run (its start costs seconds: paid once)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def api_url(prefect_api) -> str:
    """The address of the test run's Prefect API, for `ogi` subprocesses."""
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value()
