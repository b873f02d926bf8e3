"""Shared fixtures: the real corpus beside the repository, and a product home per test run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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


OUTLINE = "本县认真贯彻落实《中华人民共和国政府信息公开条例》，扎实做好政府信息公开工作。" * 8


def report(county: str, year: int, received: int, proactive: int) -> str:
    """A small prose report whose figures the test chose."""
    return (f"湖北省{county}人民政府{year}年政府信息公开工作年度报告\n一、概述\n{OUTLINE}\n"
            f"二、依申请公开情况\n{year}年，我县共收到政府信息公开申请{received}件，"
            f"主动公开政府信息{proactive}条。\n")


def first_night(folder: Path) -> Path:
    """The source of a first nightly load: two reports, a real seed, an empty file."""
    folder.mkdir()
    (folder / "yunxi_2015.txt").write_text(report("郧西县", 2015, 12, 340), encoding="utf-8")
    (folder / "zhuxi_2015.txt").write_text(report("竹溪县", 2015, 7, 95), encoding="utf-8")
    shutil.copy(next(SEEDS.glob("001_*.txt")), folder / "seed001.txt")
    (folder / "empty.txt").write_bytes(b"")
    return folder


def load(source: Path | None, db: Path, batch_size: int, **options) -> dict:
    """A load by the flow in this process (the test run's Prefect API must be up)."""
    from flows.load_flow import load_reports

    return load_reports(source=str(source) if source else None, db=str(db),
                        batch_size=batch_size, **options)


def ogi(api_url: str, home: Path, *args: str, env: dict[str, str] | None = None,
        prefix: tuple[str, ...] = (), timeout: float = 600) -> subprocess.CompletedProcess:
    """`ogi ARGS` as its own process, reporting to the test run's Prefect API. `prefix`
    runs it under another command (setpriv); `env` adds variables (a crash point)."""
    command = [*prefix, sys.executable, "-m", "flows.cli", *args]
    env = {**os.environ, "PREFECT_API_URL": api_url, "OGI_HOME": str(home), **(env or {})}
    return subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True,
                          timeout=timeout)


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
def shared_db(tmp_path_factory) -> Path:
    """A warehouse of the whole shared corpus (seeds and Pingtan), checks across years too."""
    from flows import warehouse
    from flows.discover import discover_files, parse_paths

    path = tmp_path_factory.mktemp("shared") / "shared.duckdb"
    con = warehouse.connect(path)
    warehouse.apply_schema(con)
    warehouse.load_parsed(con, parse_paths(discover_files(SHARED / "corpus")))
    warehouse.reconcile(con)
    con.close()
    return path


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
