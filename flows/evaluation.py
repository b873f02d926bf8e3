"""`ogi eval`: run the parse stages on a folder of labelled reports and score them."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from flows.discover import discover_files, parse_paths
from transforms.evaluate import read_labels, restrict_to_groups, score_reports


def evaluate_folder(labels_path: str | Path, input_dir: str | Path,
                    groups: set[str] | None = None) -> dict:
    """Scores of the pipeline on `input_dir` against the labels (files matched by path);
    with `groups`, only the measures of those catalogue groups are scored."""
    labels = read_labels(labels_path)
    root = Path(input_dir).resolve()
    parsed = parse_paths(discover_files(root))
    # Labels name files relative to the folder ("county/x.txt") or by bare name.
    def label_name(path: str) -> str:
        return Path(path).relative_to(root).as_posix()

    # Every labelled path, also a second copy of the same bytes (parsed once, one document).
    paths = parsed["files"].select(
        "doc_id", pl.col("source_path").map_elements(label_name, return_dtype=pl.String)
        .alias("file"))
    documents = parsed["documents"].drop("file").join(paths, on="doc_id")
    facts = parsed["facts"].join(paths, on="doc_id")
    if groups:
        labels, facts = restrict_to_groups(labels, facts, groups)
    return score_reports(labels, facts, documents.select("file", "agency", "admin_level",
                                                          "report_year", "template"))
