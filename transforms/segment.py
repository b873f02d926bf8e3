"""Stage 3, segment: normalized report text -> sentences with their offsets and section.

In: frame with `doc_id`, `text`. Out: one row per sentence: `doc_id`, `sentence_no`,
`start`, `end` (character offsets into `text`), `sentence`, `section` (the outline heading
the sentence falls under, e.g. "四、政府信息公开的收费及减免情况"), `is_table_row`,
`preceding` (the two sentences before), `previous_heading` (the sentence before when it is
a heading line, else "").
"""

from __future__ import annotations

import polars as pl

# Sentence ends: Chinese full stop, semicolons, question/exclamation marks, line breaks.
# A sentence keeps its terminator; evidence shows the sentence as printed.
SENTENCE = r"[^。；;！？!?\n]+[。；;！？!?]?"
# Top-level outline headings of the reports: 一、… 二、… (also 第一部分, 一．).
SECTION_HEADING = r"^\s*(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]{1,2}\s*[、．.])"
SECTION_TITLE = (
    r"^\s*((?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]{1,2}\s*[、．.])\s*"
    r"[^，。；,;\s（(]{0,30})"
)


def split_sentences(docs: pl.DataFrame) -> pl.DataFrame:
    """One row per sentence of each document, with offsets into `text`."""
    pieces = docs.select(
        "doc_id",
        pl.col("text").str.extract_all(r"[^\n]*\n?").alias("line"),
    ).explode("line", empty_as_null=False).filter(pl.col("line").is_not_null())
    # Offsets: lines are consecutive and cover the text, so a running sum gives starts.
    lines = pieces.with_columns(
        pl.col("line").str.len_chars().alias("_len")
    ).with_columns(
        (pl.col("_len").cum_sum().over("doc_id") - pl.col("_len")).alias("line_start"),
        pl.int_range(pl.len()).over("doc_id").alias("line_no"),
    )
    lines = lines.with_columns(pl.col("line").str.starts_with("| ").alias("is_table_row"))
    sentences = lines.select(
        "doc_id", "line_no", "line_start", "is_table_row",
        pl.col("line").str.extract_all(SENTENCE).alias("sentence"),
    ).explode("sentence", empty_as_null=False).filter(pl.col("sentence").is_not_null())
    sentences = sentences.with_columns(
        pl.col("sentence").str.len_chars().alias("_len")
    ).with_columns(
        (pl.col("line_start") + pl.col("_len").cum_sum().over("doc_id", "line_no")
         - pl.col("_len")).alias("start"),
    )
    # Headings are found per sentence, not per line: flattened pages put a whole report on
    # one line ("…成效。二、主动公开政府信息情况（一）…").
    sentences = sentences.with_columns(
        pl.int_range(pl.len()).over("doc_id").alias("sentence_no")
    ).with_columns(
        pl.when(pl.col("sentence").str.contains(SECTION_HEADING) & ~pl.col("is_table_row"))
        .then(pl.col("sentence").str.extract(SECTION_TITLE, 1))
        .otherwise(None)
        .forward_fill()
        .over("doc_id", order_by="sentence_no")
        .alias("section")
    )
    # A statement runs to the next full stop; semicolons split it into sentences.
    sentences = sentences.with_columns(
        pl.col("sentence").str.contains(r"[。！？!?]\s*$").cast(pl.Int32).shift(1, fill_value=1)
        .cum_sum().over("doc_id", order_by="sentence_no").alias("_statement"),
    ).with_columns(
        pl.col("sentence").first().over("doc_id", "_statement", order_by="sentence_no")
        .alias("_statement_head"),
    )
    # The two sentences before, and the head of the statement: a figure's subject is often
    # named there ("办结依申请公开81件，其中：…；不予公开5件；…；不予处理1件") when
    # semicolons split one statement into several sentences.
    sentences = sentences.with_columns(
        (pl.when(pl.col("sentence_no") - pl.col("sentence_no").first().over(
            "doc_id", "_statement", order_by="sentence_no") > 2)
         .then(pl.col("_statement_head")).otherwise(pl.lit(""))
         + pl.col("sentence").shift(2).over("doc_id", order_by="sentence_no").fill_null("")
         + pl.col("sentence").shift(1).over("doc_id", order_by="sentence_no").fill_null(""))
        .alias("preceding"),
        # A heading line just before ("（二）主动公开政府信息的主要类别") introduces the
        # enumeration that follows it as much as words inside the sentence would.
        pl.col("sentence").shift(1).over("doc_id", order_by="sentence_no")
        .alias("_previous"),
    ).with_columns(
        pl.when(pl.col("_previous").str.len_chars().le(40)
                & ~pl.col("_previous").str.contains(r"[。；;！？!?，,]\s*$"))
        .then(pl.col("_previous").str.strip_chars()).otherwise(pl.lit(""))
        .alias("previous_heading")
    )
    return sentences.select(
        "doc_id",
        "sentence_no",
        "start",
        (pl.col("start") + pl.col("_len")).alias("end"),
        "sentence",
        pl.col("section").fill_null(""),
        "is_table_row",
        "preceding",
        "previous_heading",
    )
