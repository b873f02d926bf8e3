"""Write a synthetic corpus: N report files in folders of 1,000 and their labels
(labels.jsonl, the format of ../shared/spec/evaluation.md)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from synth.reports import FOLDER_SIZE, synth_report


def write_corpus(out: str | Path, reports: int, seed: int, start: int = 0) -> dict:
    """Write reports `start` … `start + reports - 1` of the corpus of `seed` under `out`,
    with `out/labels.jsonl`; returns a summary (counts by template, form, codec, damage,
    bytes). The same seed gives the same bytes, and report i does not depend on N."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    summary: dict[str, Counter] = {k: Counter() for k in ("template", "form", "codec", "damage")}
    sizes = []
    with (out / "labels.jsonl").open("w", encoding="utf-8", newline="\n") as labels:
        for index in range(start, start + reports):
            report = synth_report(seed, index)
            path = out / report.file
            if index % FOLDER_SIZE == 0 or not path.parent.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(report.data)
            labels.write(json.dumps(report.label, ensure_ascii=False) + "\n")
            meta = report.label["synth"]
            summary["template"][report.label["template"]] += 1
            summary["form"][meta["form"]] += 1
            summary["codec"][meta["codec"]] += 1
            summary["damage"].update(meta["damage"] or ["none"])
            sizes.append(len(report.data))
    sizes.sort()
    return {**{k: dict(v) for k, v in summary.items()}, "reports": reports,
            "bytes": sum(sizes), "smallest": sizes[0] if sizes else 0,
            "median": sizes[len(sizes) // 2] if sizes else 0,
            "largest": sizes[-1] if sizes else 0}
