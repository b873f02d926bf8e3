"""Discover and read report files under a source folder (the pipeline's only file reads).

Out: a frame of files (`source_path`, `raw`, `sha256`, `size_bytes`) plus a frame of files
that could not be read (for the quarantine); `parse_paths` hands the files to the parse
stages in one step.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import time
from pathlib import Path

import polars as pl

from flows.inventory import scan_source
from transforms.pipeline import document_id, parse_files_isolated

# A report is a few KB to ~1 MB of text; anything far larger is not one report.
MAX_FILE_BYTES = 20 * 1024 * 1024
# Errors a mounted share throws for a moment (a stale NFS handle, a busy or timed-out
# server): read again after a pause. Anything else (missing, forbidden) is final.
TRANSIENT_ERRNOS = {errno.EIO, errno.EAGAIN, errno.ETIMEDOUT, errno.ESTALE, errno.EINTR,
                    errno.EBUSY}
READ_ATTEMPTS = 3
READ_RETRY_SECONDS = 0.5

log = logging.getLogger(__name__)


def discover_files(source: str | Path) -> list[str]:
    """Absolute paths of every .txt/.md/.htm/.html file under `source`, recursively, sorted
    (the scan of flows/inventory.py: symlinked folders not followed; files it cannot examine
    are listed, and reading them quarantines them with the reason)."""
    scanned = scan_source(source)
    return scanned.filter(~pl.col("is_folder"))["source_path"].to_list()


_FILES_SCHEMA = {"source_path": pl.String, "raw": pl.Binary, "sha256": pl.String,
                 "size_bytes": pl.Int64, "mtime_ns": pl.Int64, "ctime_ns": pl.Int64}
_UNREADABLE_SCHEMA = {"source_path": pl.String, "file": pl.String, "sha256": pl.String,
                      "size_bytes": pl.Int64, "stage": pl.String, "reason": pl.String}


def read_files(paths: list[str | Path]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(files, unreadable): bytes, hash and times of each path as read (the times of the
    open file, so they match the bytes even if it changed since the scan); unreadable
    ones with the reason."""
    rows, failed = [], []
    for path in map(str, paths):
        try:
            size = os.path.getsize(path)
            if size > MAX_FILE_BYTES:
                failed.append((path, Path(path).name, None, size, "read",
                               f"file is {size / 1e6:.1f} MB, larger than any report "
                               f"({MAX_FILE_BYTES // (1024 * 1024)} MB limit)"))
                continue
            data, stat = read_bytes(path)
        except OSError as exc:
            failed.append((path, Path(path).name, None, None, "read",
                           f"cannot read the file: {exc.strerror or exc}"))
            continue
        rows.append((path, data, hashlib.sha256(data).hexdigest(), len(data),
                     stat.st_mtime_ns, stat.st_ctime_ns))
    return (pl.DataFrame(rows, schema=_FILES_SCHEMA, orient="row"),
            pl.DataFrame(failed, schema=_UNREADABLE_SCHEMA, orient="row"))


def _read_file_once(path: str) -> tuple[bytes, os.stat_result]:
    with open(path, "rb") as handle:
        return handle.read(), os.fstat(handle.fileno())


def read_bytes(path: str) -> tuple[bytes, os.stat_result]:
    """The file's bytes and its status as read, read again after a pause when the error is
    a transient one."""
    for attempt in range(1, READ_ATTEMPTS + 1):
        try:
            return _read_file_once(path)
        except OSError as exc:
            if exc.errno not in TRANSIENT_ERRNOS or attempt == READ_ATTEMPTS:
                raise
            log.warning("reading %s failed (%s), attempt %d of %d", path, exc.strerror,
                        attempt, READ_ATTEMPTS)
            time.sleep(READ_RETRY_SECONDS * attempt)
    raise AssertionError("unreachable")


def parse_paths(paths: list[str | Path], skip_contents: list[str] | pl.Series | None = None,
                timings: dict[str, float] | None = None) -> dict[str, pl.DataFrame]:
    """Read `paths` and run the parse stages on them; unreadable files join the quarantine.

    Files whose SHA-256 is in `skip_contents` (content the warehouse already holds) are read
    and hashed but not parsed. Adds "files" (every readable path: sha256, size, doc_id) and
    "raw" (the bytes of each parsed document) to the parse stages' frames. `timings`, if
    given, accumulates seconds per parse stage (transforms.pipeline.parse_files).
    """
    files, unreadable = read_files(paths)
    files = files.with_columns(
        pl.col("sha256").map_elements(document_id, return_dtype=pl.String).alias("doc_id"))
    skip = pl.Series(values=skip_contents if skip_contents is not None else [], dtype=pl.String)
    to_parse = files.filter(~pl.col("sha256").is_in(skip.implode()))
    parsed = parse_files_isolated(to_parse.drop("mtime_ns", "ctime_ns", "doc_id"), timings)
    parsed["files"] = files.select("source_path", "sha256", "size_bytes", "mtime_ns",
                                   "ctime_ns", "doc_id")
    parsed["raw"] = to_parse.select("doc_id", "raw").unique(
        subset="doc_id", keep="first", maintain_order=True)
    parsed["quarantine"] = pl.concat([unreadable, parsed["quarantine"]], how="vertical_relaxed")
    return parsed
