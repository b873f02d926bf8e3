"""A run over a folder of broken files: each lands in the quarantine with a reason a person
can act on, every good file of the same run loads, and a quarantined file is retried only
when it changes. `ogi run` runs as a real process, so an unreadable file is really
unreadable (as root, with the capability to override file permissions dropped)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from flows import warehouse
from tests.conftest import SEEDS, ogi, report

# Each broken file: (stage, words its reason must contain).
BROKEN = {
    "zero.txt": ("decode", "empty file"),
    "binary.txt": ("decode", "binary content"),
    "truncated.txt": ("decode", "truncated"),
    "double_encoded.txt": ("decode", "double-encoded"),
    "huge.txt": ("read", "larger than any report"),
    "no_report.html": ("normalize", "not a disclosure report"),
    "unreadable.txt": ("read", "Permission denied"),
    "loop_a.txt": ("discover", "symlink loop"),
    "loop_b.txt": ("discover", "symlink loop"),
    "no_year.txt": ("extract", "no report year"),
}


def build_corpus(folder) -> None:
    folder.mkdir()
    good = report("郧西县", 2015, 12, 340)
    (folder / "good_yunxi.txt").write_text(good, encoding="utf-8")
    shutil.copy(next(SEEDS.glob("001_*.txt")), folder / "good_seed001.txt")
    # Declares UTF-8, is GBK: read by its bytes, not its label, so it loads.
    page = ("<html><head><meta charset='utf-8'></head><body><p>"
            + report("竹溪县", 2016, 7, 95).replace("\n", "</p><p>") + "</p></body></html>")
    (folder / "good_mislabelled.html").write_bytes(page.encode("gbk"))

    (folder / "zero.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16)
    data = good.encode("utf-8")
    cut = next(i for i in range(len(data) // 2, len(data)) if data[i] >= 0xE0) + 1
    (folder / "truncated.txt").write_bytes(data[:cut])  # ends inside a 3-byte character
    (folder / "double_encoded.txt").write_bytes(
        good.encode("utf-8").decode("latin-1").encode("utf-8"))
    with open(folder / "huge.txt", "wb") as huge:  # 50 MB: no report is that large
        huge.write(good.encode("utf-8") * (50 * 1024 * 1024 // len(data) + 1))
    (folder / "no_report.html").write_text(
        "<html><body><ul><li><a href='/'>首页</a></li></ul><p>欢迎访问本网站</p></body></html>",
        encoding="utf-8")
    (folder / "unreadable.txt").write_text(report("房县", 2016, 3, 40), encoding="utf-8")
    (folder / "unreadable.txt").chmod(0)
    os.symlink(folder / "loop_b.txt", folder / "loop_a.txt")
    os.symlink(folder / "loop_a.txt", folder / "loop_b.txt")
    os.symlink(folder, folder / "cycle")  # a folder linking to itself: not followed
    (folder / "no_year.txt").write_text(
        report("丹江口市", 2015, 5, 10).replace("2015年", "本年度"), encoding="utf-8")


def ogi_run(folder, db, api_url: str, home) -> subprocess.CompletedProcess:
    # Root reads any file; without these capabilities it obeys permissions like anyone.
    prefix = ("setpriv", "--inh-caps=-dac_override,-dac_read_search",
              "--bounding-set=-dac_override,-dac_read_search") if os.geteuid() == 0 else ()
    return ogi(api_url, home, "run", str(folder), "--db", str(db), prefix=prefix)


@pytest.mark.skipif(os.geteuid() == 0 and shutil.which("setpriv") is None,
                    reason="running as root without setpriv: permissions cannot be enforced")
def test_broken_files_are_quarantined_and_good_ones_load(api_url, tmp_path):
    folder, db = tmp_path / "reports", tmp_path / "ogi.duckdb"
    build_corpus(folder)
    first = ogi_run(folder, db, api_url, tmp_path / "home")
    assert first.returncode == 0, first.stdout + first.stderr

    quarantine = warehouse.query_read_only(
        db, "SELECT file_name, stage, reason FROM quarantine ORDER BY 1")
    found = {name: (stage, reason) for name, stage, reason in quarantine.iter_rows()}
    assert set(found) == set(BROKEN)
    for name, (stage, words) in BROKEN.items():
        assert found[name][0] == stage and words in found[name][1], (name, found[name])

    figures = warehouse.query_read_only(db, """
        SELECT file, value FROM report_measures
        WHERE measure = 'req.new_received' AND breakdown IS NULL ORDER BY file""").rows()
    assert figures == [("good_mislabelled.html", 7.0), ("good_seed001.txt", 191.0),
                       ("good_yunxi.txt", 12.0)]
    run = warehouse.query_read_only(db, "SELECT files_seen, files_quarantined, status "
                                        "FROM load_runs").row(0)
    assert run == (13, 10, "succeeded")

    # Nothing changed: nothing is retried. Then one broken file is fixed: only it is read.
    again = ogi_run(folder, db, api_url, tmp_path / "home")
    assert again.returncode == 0, again.stderr
    (folder / "zero.txt").write_text(report("房县", 2017, 4, 44), encoding="utf-8")
    fixed = ogi_run(folder, db, api_url, tmp_path / "home")
    assert fixed.returncode == 0, fixed.stderr
    runs = warehouse.query_read_only(db, """
        SELECT files_new, files_changed, files_quarantined, documents_added, publication
        FROM load_runs ORDER BY started_at""").rows()
    assert runs[1] == (0, 0, 0, 0, "in_place")
    assert runs[2] == (0, 1, 0, 1, "new_file")
    assert "zero.txt" not in warehouse.query_read_only(
        db, "SELECT file_name FROM quarantine")["file_name"].to_list()
