"""Where the embedded default keeps its files, and Prefect's settings for a local run.

Must be imported before `prefect`: Prefect reads its settings at import time.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]

# Defaults of the load and its schedule (the command line reads them without importing
# Prefect).
DEFAULT_BATCH_SIZE = 1000
# Parse tasks per load: enough to keep a cluster's workers busy, and a bounded number of
# task runs (each costs the API a few calls) however large the corpus.
DEFAULT_PARSE_TASKS = 32
# DuckDB memory of the loader and the export: staging a national corpus is one transaction,
# and the export sorts every fact; DuckDB spills to disk beyond this (beside the warehouse)
# instead of growing with the corpus.
LOADER_MEMORY_LIMIT = "1GB"
DEFAULT_CRON = "0 2 * * *"
DEFAULT_TIMEZONE = "Asia/Shanghai"
SAMPLE_CORPUS = PROJECT_ROOT / "sample_corpus"


def data_dir() -> Path:
    """The product's data directory: $OGI_HOME, else ./data under the working directory."""
    return Path(os.environ.get("OGI_HOME", Path.cwd() / "data")).resolve()


def default_db() -> Path:
    return data_dir() / "ogi.duckdb"


def configure_prefect() -> None:
    """Point Prefect at a product-owned home and quiet defaults (only where unset)."""
    home = data_dir() / "prefect"
    defaults = {
        "PREFECT_HOME": str(home),
        # Offline machines: no telemetry, and a generous first start (SQLite migrations).
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_UI_ENABLED": "false",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    home.mkdir(parents=True, exist_ok=True)
