"""Starting a resolver's coroutine at once, as Python 3.12's eager tasks do.

Most resolvers of a level read DataLoaders that the page's own read has primed: their
coroutines finish without ever waiting. Wrapped in a Task each, as `asyncio.gather` does,
every one costs a task, turns of the event loop and their callbacks. Started here, one that
finishes gives its value at once. One that waits is left as it stopped, on the future it
awaits, and handed to a Task when that future is done: the Task's first step resumes it,
and from then on the Task drives it as it would have from the start, cancellation and all.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any


def start(coroutine: Coroutine[Any, Any, Any]) -> tuple[bool, Any]:
    """(True, its value) if the coroutine finished without waiting; else (False, a future of
    its value). An error it raises before waiting is raised here."""
    try:
        awaited = coroutine.send(None)
    except StopIteration as stop:
        return True, stop.value
    return False, Resumed(coroutine, awaited)


class Resumed(asyncio.Future[Any]):
    """The outcome of a coroutine stopped on `awaited` (a future, or None for a bare turn of
    the loop): a Task takes the coroutine on once `awaited` is done. Cancelled before then,
    it cancels `awaited`, as a Task cancels what it waits on, and the coroutine meets the
    CancelledError where it stopped; cancelled after, it cancels the Task."""

    def __init__(self, coroutine: Coroutine[Any, Any, Any], awaited: Any) -> None:
        super().__init__()
        self._coroutine = coroutine
        self._awaited = awaited
        self._task: asyncio.Task[Any] | None = None
        if awaited is None:
            self.get_loop().call_soon(self._resume, None)
        else:
            # Taken as a Task takes what a coroutine yields: no longer blocking, so that the
            # next coroutine awaiting the same future (one DataLoader key) may await it too.
            awaited._asyncio_future_blocking = False
            awaited.add_done_callback(self._resume)

    def _resume(self, _awaited: Any) -> None:
        self._task = task = self.get_loop().create_task(self._coroutine)
        task.add_done_callback(self._settle)
        if self.cancelled():
            task.cancel()

    def _settle(self, task: asyncio.Task[Any]) -> None:
        if self.done():  # cancelled meanwhile
            if not task.cancelled():
                task.exception()  # read, so that asyncio never reports it as unretrieved
            return
        if task.cancelled():
            super().cancel()
        elif (error := task.exception()) is not None:
            self.set_exception(error)
        else:
            self.set_result(task.result())

    def cancel(self, msg: Any = None) -> bool:
        if self.done():
            return False
        if self._task is not None:
            return self._task.cancel(msg)
        if self._awaited is not None and self._awaited.cancel(msg):
            return True  # the coroutine is resumed, and cancelled in its Task
        return super().cancel(msg)
