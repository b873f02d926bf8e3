"""A progress bar on the terminal for long loads.

`ogi run` turns it on when stderr is a terminal; the flow reports files as batches finish.
Under the scheduler, in tests, or piped into a log, nothing is drawn.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

_progress: Progress | None = None


@contextmanager
def on_terminal() -> Iterator[None]:
    """Draw progress bars (on stderr) while the block runs, if stderr is a terminal."""
    global _progress
    from rich.console import Console

    console = Console(stderr=True)
    if not console.is_terminal:
        yield
        return
    _progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                         TimeElapsedColumn(), console=console, transient=False)
    try:
        with _progress:
            yield
    finally:
        _progress = None


class Bar:
    """One bar: `advance(n)` as work completes; a no-op when no terminal is drawing or
    there is no work."""

    def __init__(self, description: str, total: int) -> None:
        self._task = (_progress.add_task(description, total=total)
                      if _progress is not None and total else None)

    def advance(self, amount: int) -> None:
        if _progress is not None and self._task is not None:
            _progress.advance(self._task, amount)
