"""`ogi synth`: a labelled synthetic corpus at any size, deterministic for a seed, varied
like the real one, and read by the pipeline as its labels say (evaluation.md scoring)."""

import json
import re
from collections import Counter

import polars as pl
import pytest
from click.testing import CliRunner

from flows.cli import main
from flows.evaluation import evaluate_folder
from synth.corpus import write_corpus
from transforms.catalogue import measures

BREAKDOWN_KINDS = {"applicant", "channel", "outcome", "category"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """2,000 reports of seed 7, written by the command line."""
    out = tmp_path_factory.mktemp("synth") / "corpus"
    result = CliRunner().invoke(main, ["synth", str(out), "--reports", "2000", "--seed", "7"])
    assert result.exit_code == 0, result.output
    labels = [json.loads(line) for line in (out / "labels.jsonl").read_text("utf-8").splitlines()]
    return out, labels, json.loads(result.output)


def test_same_seed_same_bytes_and_report_i_independent_of_size(tmp_path):
    write_corpus(tmp_path / "a", 40, seed=3)
    write_corpus(tmp_path / "b", 40, seed=3)
    write_corpus(tmp_path / "c", 15, seed=3, start=25)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert len(files) == 41  # 40 reports + labels.jsonl
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    # Reports 25…39 written on their own are the same files as in the corpus of 40.
    tail = sorted(p.relative_to(tmp_path / "c") for p in (tmp_path / "c").rglob("*.*")
                  if p.name != "labels.jsonl")
    assert len(tail) == 15
    for name in tail:
        assert (tmp_path / "c" / name).read_bytes() == (tmp_path / "a" / name).read_bytes()
    write_corpus(tmp_path / "d", 40, seed=4)
    assert (tmp_path / "d" / "labels.jsonl").read_bytes() != (tmp_path / "a" / "labels.jsonl").read_bytes()


def test_the_corpus_varies_like_the_real_one(corpus):
    out, labels, summary = corpus
    assert summary["reports"] == 2000
    assert set(summary["template"]) == {"prose", "gb2019", "gb2021"}
    assert min(summary["template"].values()) >= 200
    assert {"html", "text", "pdf", "crawl", "pdf_lines", "pdf_spaced", "pipe", "glued"} <= set(
        summary["form"])
    assert {"utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"} <= set(summary["codec"])
    assert {"traditional", "pinyin", "mojibake"} <= set(summary["damage"])
    # A few hundred characters to ~50 KB.
    sizes = [p.stat().st_size for p in out.rglob("*.*") if p.name != "labels.jsonl"]
    assert min(sizes) < 1000 and max(sizes) > 30_000
    assert {label["admin_level"] for label in labels} == {
        "central", "province", "prefecture", "county", "township"}
    assert any(label["agency"] is None for label in labels)
    assert len({label["report_year"] for label in labels}) >= 15
    # Spread over the years, no year dominating.
    years = Counter(label["report_year"] for label in labels)
    assert years.most_common(1)[0][1] < 400


def test_html_pages_declare_the_charset_their_bytes_are_in(corpus):
    out, labels, _ = corpus
    pages = [label for label in labels if label["file"].endswith(".html")]
    assert len(pages) > 100
    for label in pages:
        codec = label["synth"]["codec"]
        page = (out / label["file"]).read_bytes().decode(codec)
        declared = re.search(r'<meta charset="([^"]+)"', page)
        assert declared, label["file"]
        # A page whose © a legacy codec lacks was saved as UTF-8, and must say so.
        assert declared.group(1) == ("utf-8" if codec.startswith("utf-8") else codec), label["file"]


def test_labels_follow_the_evaluation_format(corpus):
    out, labels, _ = corpus
    codes = set(measures()["code"])
    for label in labels:
        assert (out / label["file"]).is_file()
        assert label["template"] in ("prose", "gb2019", "gb2021")
        assert set(label["complete"]) <= codes
        for fact in label["facts"]:
            assert fact["measure"] in codes, fact
            assert fact["breakdown"] is None or fact["breakdown"].split(":")[0] in BREAKDOWN_KINDS
            assert isinstance(fact["value"], int | float)
        keys = [(f["measure"], f["breakdown"]) for f in label["facts"]]
        assert len(keys) == len(set(keys)), label["file"]
    # A standard-template report labels every cell its three tables print.
    gb = next(label for label in labels if label["template"] == "gb2021")
    table3 = [f for f in gb["facts"] if f["measure"].startswith("req.")]
    assert len(table3) >= 150 and "req.other.fee_unpaid" in gb["complete"]


def test_the_pipeline_reads_2000_synthetic_reports_as_labelled(corpus):
    out, labels, _ = corpus
    scores = evaluate_folder(out / "labels.jsonl", out)["overall"]
    assert scores["reports"] == 2000
    assert scores["precision"] >= 0.99, scores
    assert scores["recall"] >= 0.99, scores
    assert scores["report_year_accuracy"] >= 0.99, scores
    assert scores["agency_accuracy"] >= 0.98, scores
    assert scores["admin_level_accuracy"] >= 0.98, scores


def test_synthetic_figures_are_in_the_text_where_the_label_says(corpus):
    # One report read by hand through the pipeline's own decoding: the labelled total of
    # 表三 row 一 is printed in the file next to its row label.
    from flows.discover import parse_paths

    out, labels, _ = corpus
    label = next(x for x in labels if x["template"] == "gb2021" and x["synth"]["form"] == "pdf_spaced"
                 and not x["synth"]["damage"])
    value = next(f["value"] for f in label["facts"]
                 if f["measure"] == "req.new_received" and f["breakdown"] is None)
    text = parse_paths([out / label["file"]])["documents"]["text"][0]
    row = next(line for line in text.split("\n") if line.startswith("一、本年新收政府信息公开申请数量"))
    assert row.split()[-1] == str(value)
    assert pl.Series(row.split()[1:]).cast(pl.Int64).sum() == 2 * value
