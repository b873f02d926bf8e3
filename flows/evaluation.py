"""`ogi eval`: run the parse stages on a folder of labelled reports and score them."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from flows.discover import discover_files, read_files
from transforms.evaluate import read_labels, score_reports
from transforms.pipeline import parse_files


def evaluate_folder(labels_path: str | Path, input_dir: str | Path) -> dict:
    """Scores of the pipeline on `input_dir` against the labels (files matched by path)."""
    labels = read_labels(labels_path)
    root = Path(input_dir).resolve()
    files, _unreadable = read_files(discover_files(root))
    parsed = parse_files(files)
    # Labels name files relative to the folder ("county/x.txt") or by bare name.
    def label_name(path: str) -> str:
        return Path(path).relative_to(root).as_posix()

    documents = parsed["documents"].with_columns(
        pl.col("source_path").map_elements(label_name, return_dtype=pl.String).alias("file"))
    facts = parsed["facts"].join(documents.select("doc_id", "file"), on="doc_id")
    return score_reports(labels, facts, documents.select("file", "agency", "admin_level",
                                                          "report_year"))
