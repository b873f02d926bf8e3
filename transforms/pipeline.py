"""The parse stages composed: files (bytes) -> documents, metadata, facts, quarantine.

Pure: takes a frame of files already read (`source_path`, `raw`, `sha256`, `size_bytes`)
and returns frames for the loader. Prefect tasks and `ogi eval` both call `parse_files`.
"""

from __future__ import annotations

import logging
from pathlib import PurePath

import polars as pl

from transforms.annex import extract_annex_facts
from transforms.decode import decode_reports
from transforms.gb_tables import extract_table_cells, table_facts
from transforms.metadata import report_metadata
from transforms.normalize import normalize_reports
from transforms.prose import extract_prose_facts
from transforms.quality import quality_checks
from transforms.segment import split_sentences
from transforms.timing import timed
from transforms.version import extractor_version

log = logging.getLogger(__name__)

# A decoded text with fewer Han characters than this is not a report (an index page, an
# error page, a binary blob that happened to decode). A township's whole report can be
# ~150 (one line under each heading), an index page of report links ~70 after debris.
MIN_HAN_CHARS = 100
REPORT_WORDS = r"政府信息公开|政务公开|信息公开"


def document_id(sha256: str) -> str:
    """Stable id of a document: derived from its content, so the same report under two
    names is one document (64 bits: no collision is expected among millions)."""
    return sha256[:16]


def parse_files(files: pl.DataFrame, timings: dict[str, float] | None = None
                ) -> dict[str, pl.DataFrame]:
    """Run decode → normalize → metadata → segment → extract on a batch of files.

    Returns {"files" (every input path with its `doc_id`), "documents", "facts",
    "quarantine", "unresolved_cells" (table cells with no unique reading), "unstated_cells"
    (table cells printed blank or not applicable), "checks" (the tables' identities and
    prose restatements)}; a file that fails a stage goes to quarantine with the stage and
    the reason, and the other files go on. Files with the same bytes are parsed once, as
    one document under the first path. `timings`, if given, accumulates seconds per stage
    (decode, normalize, extract, tables).
    """
    files = files.with_columns(
        pl.col("sha256").map_elements(document_id, return_dtype=pl.String).alias("doc_id"),
        pl.col("source_path").map_elements(lambda p: PurePath(p).name, return_dtype=pl.String)
        .alias("file"),
    )
    every_path = files.select("source_path", "sha256", "size_bytes", "doc_id")
    files = files.unique(subset="doc_id", keep="first", maintain_order=True)
    with timed(timings, "decode"):
        decoded = decode_reports(files)
    failed_decode = decoded.filter(pl.col("text_raw").is_null()).select(
        "source_path", "file", "sha256", "size_bytes", pl.lit("decode").alias("stage"),
        pl.col("decode_error").alias("reason"),
    )
    decoded = decoded.filter(pl.col("text_raw").is_not_null())
    with timed(timings, "normalize"):
        normalized = normalize_reports(decoded)
    normalized = normalized.with_columns(
        pl.col("text").str.count_matches(r"\p{Han}").alias("_han"),
        pl.col("text").str.contains(REPORT_WORDS).alias("_ogi"),
    )
    not_report = normalized.filter((pl.col("_han") < MIN_HAN_CHARS) | ~pl.col("_ogi")).select(
        "source_path", "file", "sha256", "size_bytes", pl.lit("normalize").alias("stage"),
        pl.format("not a disclosure report: {} Han characters{}", pl.col("_han"),
                  pl.when(pl.col("_ogi")).then(pl.lit(""))
                  .otherwise(pl.lit(", never mentions 政府信息公开/政务公开"))).alias("reason"),
    )
    reports = normalized.filter((pl.col("_han") >= MIN_HAN_CHARS) & pl.col("_ogi")).drop(
        "_han", "_ogi")
    with timed(timings, "extract"):
        metadata = report_metadata(reports)
        # A report that never says which year it covers cannot take its place in the panel.
        yearless = metadata.filter(pl.col("report_year").is_null()).select("doc_id")
        no_year = reports.join(yearless, on="doc_id", how="semi").select(
            "source_path", "file", "sha256", "size_bytes", pl.lit("extract").alias("stage"),
            pl.lit("no report year: neither the title, a statistics period nor a dated sentence "
                   "says which year the report covers").alias("reason"))
        reports = reports.join(yearless, on="doc_id", how="anti")
        metadata = metadata.join(yearless, on="doc_id", how="anti")
        sentences = split_sentences(reports)
        prose_facts = extract_prose_facts(sentences)
        documents = reports.join(metadata, on="doc_id", how="left").with_columns(
            pl.lit(extractor_version()).alias("extractor_version")
        )
    with timed(timings, "tables"):
        annex_facts, annex_unresolved = extract_annex_facts(documents, prose_facts)
        table_cells, table_unresolved = extract_table_cells(documents, prose_facts)
        unresolved = pl.concat([annex_unresolved, table_unresolved])
        facts = with_table_facts(merge_facts(prose_facts, annex_facts), table_facts(table_cells),
                                 table_unresolved)
        checks = quality_checks(table_cells, prose_facts)
    quarantine = pl.concat([failed_decode, not_report, no_year], how="vertical_relaxed")
    return {"files": every_path, "documents": documents, "facts": facts,
            "quarantine": quarantine,
            "unresolved_cells": unresolved,
            "unstated_cells": table_cells.filter(pl.col("cell_state") != "number"),
            "checks": checks}


def parse_files_isolated(files: pl.DataFrame, timings: dict[str, float] | None = None
                         ) -> dict[str, pl.DataFrame]:
    """`parse_files`, but a file on which a stage raises (a bug the file exposes) goes to
    the quarantine with the error instead of failing its whole batch: the batch is parsed
    again one file at a time."""
    try:
        return parse_files(files, timings)
    except Exception as exc:  # noqa: BLE001 - one file's failure must not stop the load
        log.warning("a stage failed on a batch of %d files (%s: %s); parsing them one by one",
                    files.height, type(exc).__name__, exc)
    parts, failed = [parse_files(files.head(0))], []
    for index in range(files.height):
        one = files.slice(index, 1)
        try:
            parts.append(parse_files(one))
        except Exception as exc:  # noqa: BLE001 - recorded in the quarantine below
            log.exception("the extractor failed on %s", one["source_path"][0])
            failed.append(one.select(
                "source_path",
                pl.col("source_path").map_elements(lambda p: PurePath(p).name,
                                                   return_dtype=pl.String).alias("file"),
                "sha256", "size_bytes", pl.lit("extract").alias("stage"),
                pl.lit(f"the extractor failed on this file ({type(exc).__name__}: {exc}); "
                       "this is a bug: please report it with the file").alias("reason")))
    merged = {key: pl.concat([part[key] for part in parts], how="vertical_relaxed")
              for key in parts[0]}
    merged["quarantine"] = pl.concat([merged["quarantine"], *failed], how="vertical_relaxed")
    return merged


FACT_KEY = ["doc_id", "measure", "breakdown"]


def _overlay(preferred: pl.DataFrame, others: pl.DataFrame) -> pl.DataFrame:
    """`preferred`, plus the rows of `others` for the keys `preferred` does not give."""
    missing = others.join(preferred.select(FACT_KEY), on=FACT_KEY, how="anti", nulls_equal=True)
    return pl.concat([preferred.select(others.columns), missing]).sort("doc_id", "span_start")


def with_table_facts(facts: pl.DataFrame, tables: pl.DataFrame,
                     unresolved: pl.DataFrame) -> pl.DataFrame:
    """The standard tables' cells, plus the other facts for keys the tables do not give.

    A gb2019/gb2021 report restates some table figures in its prose (收到申请74件); the cell
    is the figure, the sentence a restatement (checked against it, not counted twice). A
    cell the table prints but that could not be read is not filled from the prose either:
    the prose often counts something else (收到申请75件 includes 上年结转).
    """
    printed = unresolved.select("doc_id", pl.col("columns").alias("_key")).explode("_key").select(
        "doc_id",
        pl.col("_key").str.split_exact("|", 1).struct.rename_fields(["measure", "breakdown"])
        .alias("_parts"),
    ).unnest("_parts")
    facts = facts.join(printed, on=FACT_KEY, how="anti", nulls_equal=True)
    return _overlay(tables.unique(subset=FACT_KEY, keep="first", maintain_order=True), facts)


def merge_facts(prose: pl.DataFrame, annex: pl.DataFrame) -> pl.DataFrame:
    """Prose and annex facts, one per (document, measure, breakdown).

    Where both give a figure: a prose figure in the outline section about its measure
    (二、主动公开政府信息情况 for 主动公开) is what the report deliberately states, and it
    wins; a prose figure elsewhere (概述, where topic subsets such as 政府采购信息网上公开189条
    pass for channel totals) gives way to the annex's labelled cell. Between annex rows the
    first wins (申请办结数 before 申请答复数).
    """
    annex = annex.sort("doc_id", "span_start").unique(subset=FACT_KEY, keep="first",
                                                      maintain_order=True)
    home = prose.filter(pl.col("in_home_section"))
    annex = annex.join(home.select(FACT_KEY), on=FACT_KEY, how="anti", nulls_equal=True)
    return _overlay(annex, prose.drop("in_home_section"))
