"""Scoring extraction against labelled reports, exactly as shared/spec/evaluation.md defines.

In: labels (list of dicts, one per report, from a JSON Lines file) and predictions (a frame
with `file`, `measure`, `breakdown`, `value` and the report metadata frame). Out: per-report
and overall precision, recall and metadata accuracy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from transforms.catalogue import canonical_category, measures

RELATIVE_TOLERANCE = 1e-6


def read_labels(path: str | Path) -> list[dict]:
    """The labelled reports of a JSON Lines file, one object per line."""
    labels = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    labels.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{number}: not a JSON object ({exc})") from exc
    return labels


def restrict_to_groups(labels: list[dict], facts: pl.DataFrame,
                       groups: set[str]) -> tuple[list[dict], pl.DataFrame]:
    """Labels and predictions cut to the measures of some catalogue groups (t3: 表三 cells),
    so a part of the extraction is scored by the same rules as the whole."""
    codes = set(measures().filter(pl.col("group").is_in(list(groups)))["code"])
    unknown = groups - set(measures()["group"])
    if unknown:
        raise ValueError(f"no such measure group in the catalogue: {sorted(unknown)}")
    cut = [{**label, "facts": [f for f in label.get("facts", []) if f["measure"] in codes],
            "complete": [m for m in label.get("complete", []) if m in codes]}
           for label in labels]
    return cut, facts.filter(pl.col("measure").is_in(list(codes)))


def fact_key(measure: str, breakdown: str | None) -> tuple[str, str | None]:
    """The key facts are compared on; category labels as evaluation.md normalizes them."""
    if breakdown and breakdown.startswith("category:"):
        breakdown = "category:" + canonical_category(breakdown[len("category:"):])
    return measure, breakdown


def _same_value(a: float, b: float) -> bool:
    return abs(a - b) <= RELATIVE_TOLERANCE * max(abs(a), abs(b)) or a == b


@dataclass
class ReportScore:
    file: str
    labels: int = 0
    matched: int = 0
    wrong_value: int = 0
    unlabelled_in_complete: int = 0
    agency_ok: bool = False
    level_ok: bool = False
    year_ok: bool = False
    template_ok: bool | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float | None:
        return self.matched / self.labels if self.labels else None

    @property
    def precision(self) -> float | None:
        judged = self.matched + self.wrong_value + self.unlabelled_in_complete
        return self.matched / judged if judged else None


def score_report(label: dict, predicted: list[dict], meta: dict | None) -> ReportScore:
    """Score one report's predicted facts and metadata against its label object."""
    score = ReportScore(file=label["file"])
    labelled = {fact_key(f["measure"], f.get("breakdown")): float(f["value"])
                for f in label.get("facts", [])}
    complete = set(label.get("complete", []))
    score.labels = len(labelled)
    seen: set = set()
    for fact in predicted:
        key = fact_key(fact["measure"], fact.get("breakdown"))
        if key in seen:
            continue
        seen.add(key)
        if key in labelled:
            if _same_value(float(fact["value"]), labelled[key]):
                score.matched += 1
            else:
                score.wrong_value += 1
                score.errors.append(f"{key}: predicted {fact['value']}, labelled {labelled[key]}")
        elif key[0] in complete:
            score.unlabelled_in_complete += 1
            score.errors.append(f"{key}: predicted {fact['value']}, no such fact ({key[0]} is complete)")
    for key in labelled.keys() - seen:
        score.errors.append(f"{key}: missed (labelled {labelled[key]})")
    meta = meta or {}
    agencies = {label.get("agency")} | set(label.get("agency_aliases") or [])
    score.agency_ok = meta.get("agency") in agencies
    levels = label.get("admin_level")
    levels = set(levels) if isinstance(levels, list) else {levels}
    score.level_ok = meta.get("admin_level") in levels
    score.year_ok = meta.get("report_year") == label.get("report_year")
    if "template" in label and "template" in meta:
        # Not part of evaluation.md's score: reported beside it.
        score.template_ok = meta["template"] == label["template"]
    for name, ok in (("agency", score.agency_ok), ("admin_level", score.level_ok),
                     ("report_year", score.year_ok)):
        if not ok:
            score.errors.append(f"{name}: predicted {meta.get(name)!r}, labelled "
                                f"{label.get(name)!r}")
    return score


def score_reports(labels: list[dict], facts: pl.DataFrame, metadata: pl.DataFrame) -> dict:
    """Per-report and overall scores. `facts` and `metadata` carry a `file` column."""
    by_file: dict[str, list[dict]] = {}
    for fact in facts.select("file", "measure", "breakdown", "value").iter_rows(named=True):
        by_file.setdefault(fact["file"], []).append(fact)
    meta_by_file = {m["file"]: m for m in metadata.iter_rows(named=True)}
    reports = [score_report(label, by_file.get(label["file"], []), meta_by_file.get(label["file"]))
               for label in labels]
    matched = sum(r.matched for r in reports)
    judged = sum(r.matched + r.wrong_value + r.unlabelled_in_complete for r in reports)
    total_labels = sum(r.labels for r in reports)
    n = len(reports) or 1
    templated = [r for r in reports if r.template_ok is not None]
    return {
        "reports": [
            {"file": r.file, "labels": r.labels, "matched": r.matched,
             "wrong_value": r.wrong_value, "unlabelled_in_complete": r.unlabelled_in_complete,
             "precision": r.precision, "recall": r.recall, "agency_ok": r.agency_ok,
             "admin_level_ok": r.level_ok, "report_year_ok": r.year_ok,
             "template_ok": r.template_ok, "errors": r.errors}
            for r in reports
        ],
        "overall": {
            "reports": len(reports), "labels": total_labels, "matched": matched,
            "precision": matched / judged if judged else None,
            "recall": matched / total_labels if total_labels else None,
            "agency_accuracy": sum(r.agency_ok for r in reports) / n,
            "admin_level_accuracy": sum(r.level_ok for r in reports) / n,
            "report_year_accuracy": sum(r.year_ok for r in reports) / n,
            "template_accuracy": (sum(bool(r.template_ok) for r in templated) / len(templated)
                                  if templated else None),
        },
    }
