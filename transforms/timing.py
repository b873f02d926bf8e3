"""Where the time goes: one helper shared by the parse stages, the loader and the flow."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def timed(seconds: dict[str, float] | None, name: str) -> Iterator[None]:
    """Add the seconds the block takes to `seconds[name]` (nothing when `seconds` is None):
    the benchmark's stage profile and a load's account of its phases."""
    if seconds is None:
        yield
        return
    started = time.perf_counter()
    try:
        yield
    finally:
        seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - started
