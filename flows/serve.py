"""`ogi serve`: the load flow on a cron schedule, against a Prefect server that can schedule.

Prefect's ephemeral API (what `ogi run` starts) cannot schedule (stack.md §1.1). So `ogi
serve` uses the server named by PREFECT_API_URL, or starts a local one itself: its database
under the product's data directory, analytics and UI off, restarted if it dies, stopped
with `ogi serve`. Runs execute in child processes of the serve process.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flows.settings import DEFAULT_CRON, DEFAULT_TIMEZONE, data_dir

log = logging.getLogger(__name__)

DEPLOYMENT_NAME = "nightly"
SERVER_START_SECONDS = 180.0  # a first start runs the server's migrations (10-20 s here)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(home: Path, port: int) -> dict[str, str]:
    """Environment of a product-owned Prefect server: its own SQLite file under `home`."""
    home.mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{home / 'server.db'}",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_UI_ENABLED": "false",
        "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
    }


def _healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


class LocalServer:
    """A `prefect server start` child process, restarted if it exits while supervised."""

    def __init__(self, home: Path, port: int | None = None) -> None:
        self.home = home
        self.port = port or _free_port()
        self.api_url = f"http://127.0.0.1:{self.port}/api"
        self.log_path = home / "server.log"
        self._process: subprocess.Popen | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()  # a restart and a stop never interleave
        self._watchdog: threading.Thread | None = None

    def start(self) -> None:
        with self._lock:
            self._start()

    def _start(self) -> None:
        env = server_environment(self.home, self.port)
        with open(self.log_path, "ab") as server_log:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                 "--port", str(self.port), "--analytics-off"],
                env=env, stdout=server_log, stderr=subprocess.STDOUT,
                start_new_session=True)  # its own process group: stopped as a whole
        deadline = time.monotonic() + SERVER_START_SECONDS
        while not _healthy(self.api_url):
            if self._process.poll() is not None:
                raise RuntimeError(f"the local Prefect server exited during start "
                                   f"(status {self._process.returncode}); see {self.log_path}")
            if time.monotonic() > deadline:
                self._kill()
                raise RuntimeError(f"the local Prefect server did not answer within "
                                   f"{SERVER_START_SECONDS:.0f} s; see {self.log_path}")
            time.sleep(0.5)

    def supervise(self) -> None:
        """Restart the server whenever it exits, until `stop`."""
        def watch() -> None:
            while not self._stopping.wait(2.0):
                with self._lock:
                    if self._stopping.is_set() or self._process is None \
                            or self._process.poll() is None:
                        continue
                    log.warning("the local Prefect server exited (status %s); restarting it",
                                self._process.returncode)
                    try:
                        self._start()
                    except Exception:  # keep supervising: the next tick tries again
                        log.exception("restarting the local Prefect server failed")
        self._watchdog = threading.Thread(target=watch, name="prefect-server-watchdog",
                                          daemon=True)
        self._watchdog.start()

    def stop(self) -> None:
        self._stopping.set()
        with self._lock:
            self._kill()

    def _kill(self) -> None:
        if self._process is None or self._process.poll() is not None:
            return
        os.killpg(self._process.pid, signal.SIGTERM)
        try:
            self._process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()


@contextmanager
def prefect_server(announce=print) -> Iterator[str]:
    """The API URL to schedule against: PREFECT_API_URL's server, or a local one started
    (and stopped at the end) under the data directory. Says which through `announce`."""
    named = os.environ.get("PREFECT_API_URL")
    if named:
        announce(f"using the Prefect server named by PREFECT_API_URL: {named}")
        yield named
        return
    server = LocalServer(data_dir() / "prefect-server")
    announce(f"no PREFECT_API_URL: starting a local Prefect server (database "
             f"{server.home / 'server.db'}, log {server.log_path})")
    server.start()
    server.supervise()
    announce(f"local Prefect server ready at {server.api_url}")
    os.environ["PREFECT_API_URL"] = server.api_url  # the serve process and its runs use it
    try:
        yield server.api_url
    finally:
        server.stop()
        os.environ.pop("PREFECT_API_URL", None)


def serve_load_flow(parameters: dict, cron: str = DEFAULT_CRON,
                    timezone: str = DEFAULT_TIMEZONE) -> None:
    """Serve `ogi-load-reports` as deployment `ogi-load-reports/nightly` until interrupted.

    Must run after PREFECT_API_URL is set: Prefect reads its settings when imported.
    """
    from prefect.schedules import Cron

    from flows.load_flow import load_reports

    load_reports.serve(name=DEPLOYMENT_NAME, schedules=[Cron(cron, timezone=timezone)],
                       parameters=parameters,
                       # Under a supervisor, a restart must not pause the schedule.
                       pause_on_shutdown=False, print_starting_message=False)
