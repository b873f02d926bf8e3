"""How a load changes the warehouse file without readers ever seeing half of it.

DuckDB lets one process write a file or many read it, never both (stack.md §2.1): a
researcher's open read-only session would block a load that wrote in place, and a load
writing in place would lock researchers out. So a load that changes data builds the next
warehouse in a private copy (`<db>.next`), checkpoints and syncs it, and renames it over
the live file in one `os.replace`. Open sessions keep reading the file they opened; new
connections see the new one. A run killed at any moment leaves the live file as it was,
and the next run deletes the half-built copy.

Only one load runs at a time: an advisory lock (`<db>.lock`) is held for the whole run and
released by the kernel if the process dies. A run that finds it held waits, or exits
saying which process holds it.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb

# Fault injection for the crash test (tests/test_atomic.py): when OGI_KILL_AT names a
# point the run passes, the process SIGKILLs itself there, as a power cut or the OOM killer
# would. Unset in every real run.
KILL_AT_ENV = "OGI_KILL_AT"


def crash_point(name: str) -> None:
    if os.environ.get(KILL_AT_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


class LoadInProgress(Exception):
    """Another load holds the warehouse's lock."""


def next_path(db: Path) -> Path:
    return db.with_name(db.name + ".next")


def spool_name(db: Path) -> str:
    """Folder name of the load's spool of parsed parts (flows/spool.py)."""
    return f".{db.name}.spool"


def wal_path(db: Path) -> Path:
    return db.with_name(db.name + ".wal")


@contextmanager
def loader_lock(db: Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold the warehouse's load lock for the block; wait up to `wait_seconds` for it."""
    db.parent.mkdir(parents=True, exist_ok=True)
    lock_file = db.with_name(db.name + ".lock")
    handle = open(lock_file, "a+")  # noqa: SIM115 - held open for the whole block
    try:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "{}"
                    raise LoadInProgress(
                        f"another load is running on {db} ({_describe_holder(holder)}); "
                        "this run changes nothing. Wait for it, or start with --wait SECONDS."
                    ) from None
                time.sleep(0.5)
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"pid": os.getpid(), "started": datetime.now().isoformat(
            timespec="seconds")}))
        handle.flush()
        yield
    finally:
        handle.close()  # closing releases the lock


def _describe_holder(holder: str) -> str:
    try:
        info = json.loads(holder)
    except json.JSONDecodeError:
        return "holder unknown"
    return f"process {info.get('pid', '?')}, started {info.get('started', '?')}"


def recover(db: Path) -> None:
    """Undo what a killed run left (call with the lock held): a half-built next file, and a
    write-ahead log beside the live file from an in-place write cut short.

    A WAL must be folded into its own file before any rename: DuckDB replays `<db>.wal`
    into whatever file is at `<db>` when it is next opened.
    """
    for stale in (next_path(db), wal_path(next_path(db))):
        stale.unlink(missing_ok=True)
    if wal_path(db).exists():
        con = open_database(db, wait_seconds=60.0)
        con.execute("CHECKPOINT")
        con.close()


# Tasks on two threads may open the same file at once; DuckDB's per-process cache of open
# databases is then raced (a connection came up missing its frame scanner). One at a time.
_OPENING = threading.Lock()


def _held_by_another_process(exc: duckdb.IOException) -> bool:
    return "lock" in str(exc).lower()


def open_database(db: Path, read_only: bool = False,
                  wait_seconds: float = 0.0) -> duckdb.DuckDBPyConnection:
    """A connection to the DuckDB file `db`, waiting up to `wait_seconds` while another
    process holds a conflicting lock on it; DuckDB's progress bar off (it prints to stderr
    even when nobody watches)."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            with _OPENING:
                con = duckdb.connect(str(db), read_only=read_only)
            break
        except duckdb.IOException as exc:
            if not _held_by_another_process(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.2)
    con.execute("SET enable_progress_bar = false")
    return con


def try_open_in_place(db: Path) -> duckdb.DuckDBPyConnection | None:
    """A read-write connection to the live file, or None while a reader holds it."""
    try:
        return open_database(db)
    except duckdb.IOException as exc:
        if _held_by_another_process(exc):
            return None
        raise


@contextmanager
def next_warehouse(db: Path) -> Iterator[Path]:
    """A private copy of the live warehouse to change; renamed over it when the block ends
    without error, deleted when it raises. The caller closes its connections first."""
    target = next_path(db)
    target.unlink(missing_ok=True)
    crash_point("before-copy")
    if db.exists():
        _copy(db, target)
    crash_point("copied")
    try:
        yield target
    except BaseException:
        target.unlink(missing_ok=True)
        wal_path(target).unlink(missing_ok=True)
        raise
    if wal_path(target).exists():
        raise RuntimeError(f"{target} still has a write-ahead log; it was not checkpointed")
    _fsync(target)
    crash_point("synced")
    if wal_path(db).exists():
        # Someone opened the live file read-write during the run (a plain `duckdb ogi.duckdb`):
        # its log would be replayed into the new file. Keep the live one; retry later.
        target.unlink()
        raise RuntimeError(f"{wal_path(db)} appeared during the load: another program "
                           f"writes {db}. Nothing was published; close it and run again.")
    os.replace(target, db)
    crash_point("replaced")
    _fsync(db.parent)


def _copy(source: Path, target: Path) -> None:
    """Copy in the kernel (sendfile), in two halves so the crash test can cut it midway."""
    size = source.stat().st_size
    with open(source, "rb") as src, open(target, "wb") as dst:
        offset = 0
        for end in (size // 2, size):
            while offset < end:
                sent = os.sendfile(dst.fileno(), src.fileno(), offset, end - offset)
                if sent == 0:
                    raise OSError(f"{source} shrank while it was copied")
                offset += sent
            if end < size:
                crash_point("copying")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
