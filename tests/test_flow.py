"""A real Prefect run of the load flow."""

import shutil

import pytest

from tests.conftest import PINGTAN, SEEDS


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, root / path.name)
    (root / "html").mkdir()
    shutil.copy(PINGTAN / "pingtan-zone-2016.html", root / "html" / "pingtan-zone-2016.html")
    (root / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (root / "index.html").write_text(
        "<html><body><ul><li><a href='/a'>首页</a></li></ul><p>欢迎访问</p></body></html>",
        encoding="utf-8")
    (root / "notes.pdf").write_bytes(b"%PDF-1.4 not read")  # not a report suffix: ignored
    return root


def test_flow_loads_quarantines_and_summarizes(prefect_api, corpus, tmp_path):
    from prefect.client.orchestration import get_client

    from flows import warehouse
    from flows.load_flow import load_reports

    db = tmp_path / "ogi.duckdb"
    summary = load_reports(source=str(corpus), db=str(db), batch_size=3)
    assert summary["files_seen"] == 8
    assert (summary["files_new"], summary["documents_added"]) == (8, 6)
    assert summary["files_quarantined"] == 2
    by_template = {r["template"]: r["documents"] for r in summary["by_template"]}
    assert by_template["prose"] == 6

    quarantine = warehouse.query_read_only(db, "SELECT file_name, stage FROM quarantine ORDER BY 1")
    assert quarantine.rows() == [("broken.txt", "decode"), ("index.html", "normalize")]
    # The HTML report: 2016 annual figures read from its prose.
    row = warehouse.query_read_only(db, """
        SELECT value FROM report_measures
        WHERE file = 'pingtan-zone-2016.html' AND measure = 'proactive.total'
          AND breakdown IS NULL""").rows()
    assert row == [(3460.0,)]

    async def artifacts():
        async with get_client() as client:
            return await client.read_artifacts()

    import asyncio

    keys = {a.key for a in asyncio.run(artifacts())}
    assert {"ogi-load-summary", "ogi-load-by-template"} <= keys

    again = load_reports(source=str(corpus), db=str(db), batch_size=3)
    assert (again["files_unchanged"], again["documents_added"]) == (8, 0)
    assert again["publication"] == "in_place"
    assert again["warehouse_facts"] == summary["warehouse_facts"]
