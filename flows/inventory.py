"""What changed in the source folder since the last load: the nightly run's first step.

`scan_source` lists the report files under a folder with their size and modification time
(one `stat` per file, no reads). `plan_changes` compares that listing with the warehouse's
inventory (`source_file`) and says, per path, what the run must do: only new paths and
paths whose size or time moved are read and hashed; content already stored is never
parsed again.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import polars as pl

# Markdown: OCR and PDF converters write tables as pipe rows.
REPORT_SUFFIXES = (".txt", ".md", ".htm", ".html")

SCAN_SCHEMA = {"source_path": pl.String, "file_name": pl.String, "size_bytes": pl.Int64,
               "mtime_ns": pl.Int64, "ctime_ns": pl.Int64, "problem": pl.String,
               "is_folder": pl.Boolean}
INVENTORY_SCHEMA = {"source_path": pl.String, "size_bytes": pl.Int64, "mtime_ns": pl.Int64,
                    "ctime_ns": pl.Int64, "sha256": pl.String, "status": pl.String,
                    "retired": pl.Boolean, "reason": pl.String}

# What a run does with a path.
NEW = "new"              # never seen: read, hash, parse unless the content is stored
CHANGED = "changed"      # size or time moved: read and hash; parse if the hash moved
UNCHANGED = "unchanged"  # same size and time (or the same discover problem): nothing
RETIRED = "retired"      # stored, live, and gone from the source: mark retired
PROBLEM = "problem"      # cannot be examined (symlink loop, dangling link): quarantine


def is_report_file(name: str) -> bool:
    return name.lower().endswith(REPORT_SUFFIXES) and not name.startswith(".")


def scan_source(source: str | Path) -> pl.DataFrame:
    """Every report file under `source` (recursively, sorted) with size and times.

    A file that cannot be examined (a symlink loop, a dangling link) is listed with the
    `problem` in words and NULL size; an unlistable sub-folder is listed as a problem with
    `is_folder` (its files are then unknown, not gone). A source that cannot be listed at
    all raises. Symlinked folders are not followed, so a link loop cannot hang the scan.
    """
    root = Path(source).resolve()
    if not root.exists():
        raise FileNotFoundError(f"source folder {source} does not exist")
    rows: list[tuple] = []
    if root.is_file():
        return pl.DataFrame([_examine(str(root))] if is_report_file(root.name) else [],
                            schema=SCAN_SCHEMA, orient="row")
    os.listdir(root)  # an unlistable source raises here, before anything can look gone

    def unreadable_folder(exc: OSError) -> None:
        rows.append((exc.filename, Path(exc.filename).name, None, None, None,
                     f"cannot list the folder: {exc.strerror}", True))

    for dirpath, _dirnames, filenames in os.walk(root, onerror=unreadable_folder,
                                                 followlinks=False):
        rows.extend(_examine(os.path.join(dirpath, name))
                    for name in filenames if is_report_file(name))
    return pl.DataFrame(rows, schema=SCAN_SCHEMA, orient="row").sort("source_path")


def _examine(path: str) -> tuple:
    name = os.path.basename(path)
    try:
        stat = os.stat(path)  # follows a symlinked file to its target
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            problem = "symlink loop: the link never reaches a file"
        elif exc.errno == errno.ENOENT and os.path.islink(path):
            problem = f"dangling symlink: its target {os.readlink(path)} does not exist"
        else:
            problem = f"cannot examine the file: {exc.strerror}"
        return path, name, None, None, None, problem, False
    return path, name, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, None, False


def plan_changes(scanned: pl.DataFrame, inventory: pl.DataFrame, root: str,
                 retry_quarantined: bool = False) -> pl.DataFrame:
    """Per path, what this run does: new, changed, unchanged, retired or problem.

    `inventory` is the warehouse's source_file (with the quarantine reason of quarantined
    paths). A path whose size, modification time and status-change time (a chmod that makes
    a file readable moves it) are as stored is unchanged. Only stored paths under `root` can
    retire, and not those under a folder that could not be listed (unknown is not gone). A
    discover problem already quarantined with the same reason is unchanged.
    `retry_quarantined` (a re-extraction) reads quarantined files again even if unchanged.
    """
    stored = inventory.select(
        "source_path", pl.col("size_bytes").alias("_size"), pl.col("mtime_ns").alias("_mtime"),
        pl.col("ctime_ns").alias("_ctime"), pl.col("retired").alias("_retired"),
        pl.col("status").alias("_status"), pl.col("reason").alias("_reason"),
        pl.lit(True).alias("_known"))
    joined = scanned.join(stored, on="source_path", how="left")
    same_stat = ((pl.col("size_bytes") == pl.col("_size"))
                 & (pl.col("mtime_ns") == pl.col("_mtime"))
                 & (pl.col("ctime_ns") == pl.col("_ctime"))).fill_null(False)
    retry = pl.lit(retry_quarantined) & (pl.col("_status") == "quarantined").fill_null(False)
    seen = joined.with_columns(
        pl.when(pl.col("problem").is_not_null())
        .then(pl.when(pl.col("problem") == pl.col("_reason")).then(pl.lit(UNCHANGED))
              .otherwise(pl.lit(PROBLEM)))
        .when(pl.col("_known").is_null()).then(pl.lit(NEW))
        # A path that comes back after retiring is read again: it may be another report.
        .when(same_stat & ~pl.col("_retired") & ~retry).then(pl.lit(UNCHANGED))
        .otherwise(pl.lit(CHANGED)).alias("change"),
    ).select(*SCAN_SCHEMA, "change")
    prefix = root.rstrip(os.sep) + os.sep
    unlisted = [folder.rstrip(os.sep) + os.sep for folder in
                scanned.filter(pl.col("is_folder"))["source_path"].to_list()]
    under_root = (pl.col("source_path") == root) | pl.col("source_path").str.starts_with(prefix)
    gone = inventory.filter(~pl.col("retired") & under_root).join(
        scanned.select("source_path"), on="source_path", how="anti")
    if unlisted:
        gone = gone.filter(~pl.any_horizontal(
            pl.col("source_path").str.starts_with(folder) for folder in unlisted))
    gone = gone.select(
        "source_path",
        pl.col("source_path").map_elements(os.path.basename, return_dtype=pl.String)
        .alias("file_name"),
        "size_bytes", "mtime_ns", "ctime_ns", pl.lit(None, dtype=pl.String).alias("problem"),
        pl.lit(False).alias("is_folder"), pl.lit(RETIRED).alias("change"))
    return pl.concat([seen, gone]).sort("source_path")
