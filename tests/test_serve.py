"""`ogi serve` for real: it starts its own Prefect server, registers the nightly schedule,
runs the load when triggered through the API, and stops everything on SIGTERM. The
team deployment (prefect.yaml) is then deployed to the same server and read back."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows import warehouse
from tests.conftest import REPO, SEEDS

SERVER_READY = re.compile(r"local Prefect server ready at (\S+)")


def _wait_for(pattern: re.Pattern, log: Path, process: subprocess.Popen, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = pattern.search(log.read_text(encoding="utf-8", errors="replace"))
        if found:
            return found.group(1)
        if process.poll() is not None:
            pytest.fail(f"ogi serve exited early:\n{log.read_text()}")
        time.sleep(0.5)
    pytest.fail(f"ogi serve said nothing matching {pattern.pattern}:\n{log.read_text()}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def serving(tmp_path_factory):
    """`ogi serve` on the seeds, with no PREFECT_API_URL: it must start its own server.
    One for the module (a server start costs 10-20 s); the last test stops it."""
    tmp_path = tmp_path_factory.mktemp("serve")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(OGI_HOME=str(tmp_path / "home"), PREFECT_RUNNER_POLL_FREQUENCY="1")
    log = tmp_path / "serve.log"
    db = tmp_path / "ogi.duckdb"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "flows.cli", "serve", str(SEEDS), "--db", str(db),
             "--cron", "0 2 * * *"],
            env=env, stdout=out, stderr=subprocess.STDOUT, cwd=REPO, start_new_session=True)
    try:
        api_url = _wait_for(SERVER_READY, log, process, 240)
        yield process, api_url, db, log, env
    finally:
        _stop(process)


def test_serve_registers_the_schedule_and_runs_when_triggered(serving):
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    process, api_url, db, log, env = serving

    async def schedule_and_trigger():
        async with get_client() as client:
            deadline = time.monotonic() + 60
            while True:  # the deployment appears a moment after the server is ready
                try:
                    deployment = await client.read_deployment_by_name(
                        "ogi-load-reports/nightly")
                    break
                except Exception:
                    if time.monotonic() > deadline:
                        raise
                    await asyncio.sleep(0.5)
        flow_run = await run_deployment(name="ogi-load-reports/nightly", timeout=240,
                                        poll_interval=1)
        return deployment, flow_run

    with temporary_settings({PREFECT_API_URL: api_url}):
        deployment, flow_run = asyncio.run(schedule_and_trigger())

    schedule = deployment.schedules[0]
    assert (schedule.schedule.cron, schedule.schedule.timezone) == ("0 2 * * *", "Asia/Shanghai")
    assert schedule.active and not deployment.paused
    assert deployment.parameters["db"] == str(db)
    assert flow_run.state.is_completed(), flow_run.state

    # The triggered run built the warehouse, and its load_runs row names the flow run.
    runs = warehouse.query_read_only(db, "SELECT status, files_seen, documents_added, "
                                         "flow_run_id FROM load_runs")
    assert runs.rows() == [("succeeded", 5, 5, str(flow_run.id))]
    assert warehouse.query_read_only(db, "SELECT count(*) FROM reports").item() == 5
    assert "starting a local Prefect server" in log.read_text()


def test_prefect_yaml_deploys_to_a_shared_server(serving):
    """prefect.yaml, deployed with the Prefect CLI to a running server, reads back right."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    _, api_url, db, _, env = serving
    env = {**env, "PREFECT_API_URL": api_url, "OGI_CHECKOUT": str(REPO),
           "OGI_SOURCE": str(SEEDS), "OGI_DB": str(db)}
    prefect = [sys.executable, "-m", "prefect"]
    pool = subprocess.run(prefect + ["work-pool", "create", "ogi-pool", "--type", "process",
                                     "--overwrite"], env=env, cwd=REPO, capture_output=True,
                          text=True, timeout=120)
    assert pool.returncode == 0, pool.stdout + pool.stderr
    deploy = subprocess.run(prefect + ["deploy", "--all", "--no-prompt"], env=env, cwd=REPO,
                            capture_output=True, text=True, timeout=180)
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr

    async def read_back():
        async with get_client() as client:
            return await client.read_deployment_by_name("ogi-load-reports/nightly")

    with temporary_settings({PREFECT_API_URL: api_url}):
        deployment = asyncio.run(read_back())
    # `prefect deploy` can skip a bad definition with a warning and still exit 0: read back.
    assert deployment.work_pool_name == "ogi-pool"
    assert deployment.entrypoint == "flows/load_flow.py:load_reports"
    assert deployment.parameters == {"source": str(SEEDS), "db": str(db), "reprocess": "none",
                                     "wait_seconds": 3600}
    schedule = deployment.schedules[0].schedule
    assert (schedule.cron, schedule.timezone) == ("0 2 * * *", "Asia/Shanghai")


def test_sigterm_stops_serve_and_its_server(serving):
    from flows.serve import _healthy

    process, api_url, _, log, _ = serving
    _stop(process)
    assert process.returncode == 0, log.read_text()
    assert not _healthy(api_url)
