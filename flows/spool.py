"""Parsed batches on disk, between the parse workers and the one loader.

A parse task (in this process, or on a Dask worker) writes each batch it parses as one
Parquet part per frame (`SPOOL/<frame>/<part>.parquet`) and returns only a manifest entry:
the part's name and row counts. The loader then stages every part in one transaction
(flows/warehouse.stage_spool), reading the Parquet files with DuckDB; no parsed frame
crosses a process boundary, and no process holds more than one batch in memory.

Parts are named so that their lexical order is the order of the batches: where the same
content turns up in two batches, the first batch's reading is the one kept.
"""

from __future__ import annotations

import os
import shutil
from functools import cache
from pathlib import Path

import polars as pl

# The frames flows.discover.parse_paths returns, each a folder of the spool.
FRAMES = ("files", "documents", "facts", "quarantine", "unresolved_cells", "unstated_cells",
          "checks", "raw")
# Contents the warehouse already holds (read and hashed, not parsed again).
KNOWN_CONTENTS = "known_contents.parquet"


@cache
def frame_schemas() -> dict[str, pl.Schema]:
    """The schema of each parsed frame, as the parse stages give it for no files: every part
    is written in it, so that a column all-null in one batch has the same type as in the
    others."""
    from flows.discover import parse_paths

    return {name: frame.schema for name, frame in parse_paths([]).items()}


def part_name(chunk: int, batch: int) -> str:
    """Name of the `batch`th part of parse task `chunk` (sorts in batch order)."""
    return f"{chunk:06d}-{batch:06d}"


def write_part(spool: str | Path, part: str, parsed: dict[str, pl.DataFrame]) -> dict:
    """Write one parsed batch into the spool; returns its manifest entry.

    Each file is written under a temporary name and renamed, so a part the loader sees is
    whole even if the worker writing it died.
    """
    spool = Path(spool)
    rows = {}
    for name, schema in frame_schemas().items():
        frame = parsed[name]
        if set(frame.columns) != set(schema):
            raise ValueError(f"parsed frame {name!r} has columns {frame.columns}, the spool "
                             f"expects {list(schema)}")
        frame = frame.select(pl.col(c).cast(t) for c, t in schema.items()).with_columns(
            pl.lit(part).alias("part"))
        folder = spool / name
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{part}.parquet.partial"
        frame.write_parquet(partial, compression="zstd", compression_level=1)
        os.replace(partial, folder / f"{part}.parquet")
        rows[name] = frame.height
    # Which process wrote it: the run's summary says how many workers parsed.
    return {"part": part, "rows": rows, "worker": f"{os.uname().nodename}:{os.getpid()}"}


def write_known_contents(spool: str | Path, sha256: pl.Series) -> None:
    """The hashes of the contents the warehouse already holds, for the parse tasks."""
    Path(spool).mkdir(parents=True, exist_ok=True)
    pl.DataFrame({"sha256": sha256}, schema={"sha256": pl.String}).write_parquet(
        Path(spool) / KNOWN_CONTENTS)


def read_known_contents(spool: str | Path) -> pl.Series:
    return pl.read_parquet(Path(spool) / KNOWN_CONTENTS)["sha256"]


def part_files(spool: str | Path, frame: str, manifest: list[dict]) -> list[str]:
    """The Parquet files of `frame` for the parts of `manifest`, in part order (only parts a
    task reported: a file left by a killed run is never read)."""
    return [str(Path(spool) / frame / f"{entry['part']}.parquet")
            for entry in sorted(manifest, key=lambda entry: entry["part"])]


def read_frame(spool: str | Path, frame: str, manifest: list[dict]) -> pl.DataFrame:
    """One frame of every part, in part order (for the small frames: files, quarantine)."""
    files = part_files(spool, frame, manifest)
    if not files:
        return pl.DataFrame(schema={**frame_schemas()[frame], "part": pl.String})
    return pl.read_parquet(files)


def remove(spool: str | Path) -> None:
    """Delete the spool (after its parts are staged, or left by a killed run)."""
    if Path(spool).exists():
        shutil.rmtree(spool)
