"""Discover and read report files under a source folder (the pipeline's only file reads).

Out: a frame of files (`source_path`, `raw`, `sha256`, `size_bytes`) plus a frame of files
that could not be read (for the quarantine); `parse_paths` hands the files to the parse
stages in one step.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import polars as pl

from transforms.pipeline import parse_files

# Markdown: OCR and PDF converters write tables as pipe rows.
REPORT_SUFFIXES = (".txt", ".md", ".htm", ".html")
# A report is a few KB to ~1 MB of text; anything far larger is not one report.
MAX_FILE_BYTES = 20 * 1024 * 1024


def discover_files(source: str | Path) -> list[str]:
    """Absolute paths of every .txt/.md/.htm/.html file under `source`, recursively, sorted.

    Symlinked directories are not followed (a link loop cannot hang discovery).
    """
    root = Path(source).resolve()
    if root.is_file():
        return [str(root)] if root.suffix.lower() in REPORT_SUFFIXES else []
    if not root.is_dir():
        raise FileNotFoundError(f"source folder {source} does not exist")
    found = []
    for dirpath, _dirnames, filenames in os.walk(root, followlinks=False):
        for name in filenames:
            if name.lower().endswith(REPORT_SUFFIXES) and not name.startswith("."):
                found.append(str(Path(dirpath) / name))
    return sorted(found)


_FILES_SCHEMA = {"source_path": pl.String, "raw": pl.Binary, "sha256": pl.String,
                 "size_bytes": pl.Int64}
_UNREADABLE_SCHEMA = {"source_path": pl.String, "file": pl.String, "sha256": pl.String,
                      "size_bytes": pl.Int64, "stage": pl.String, "reason": pl.String}


def read_files(paths: list[str | Path]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(files, unreadable): bytes and hashes of each path; unreadable ones with the reason."""
    rows, failed = [], []
    for path in map(str, paths):
        try:
            size = os.path.getsize(path)
            if size > MAX_FILE_BYTES:
                failed.append((path, Path(path).name, None, size, "read",
                               f"file is {size / 1e6:.1f} MB, larger than any report "
                               f"({MAX_FILE_BYTES // (1024 * 1024)} MB limit)"))
                continue
            data = Path(path).read_bytes()
        except OSError as exc:
            failed.append((path, Path(path).name, None, None, "read",
                           f"cannot read the file: {exc.strerror or exc}"))
            continue
        rows.append((path, data, hashlib.sha256(data).hexdigest(), len(data)))
    return (pl.DataFrame(rows, schema=_FILES_SCHEMA, orient="row"),
            pl.DataFrame(failed, schema=_UNREADABLE_SCHEMA, orient="row"))


def parse_paths(paths: list[str | Path]) -> dict[str, pl.DataFrame]:
    """Read `paths` and run the parse stages on them; unreadable files join the quarantine."""
    files, unreadable = read_files(paths)
    parsed = parse_files(files)
    parsed["quarantine"] = pl.concat([unreadable, parsed["quarantine"]], how="vertical_relaxed")
    return parsed
