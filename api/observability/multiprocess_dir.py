"""The directory where prometheus-client's multiprocess mode keeps each worker's metrics.

prometheus-client decides when it is first imported whether metrics go to files, so the
directory must be named in PROMETHEUS_MULTIPROC_DIR before that: this module imports
nothing of it, for `omniorder serve` to call first.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


def multiprocess_dir() -> str | None:
    return os.environ.get(VARIABLE) or None


@contextlib.contextmanager
def fresh_multiprocess_dir() -> Iterator[Path]:
    """A new, empty directory named in PROMETHEUS_MULTIPROC_DIR for the processes started
    inside the block, removed after it: files of an earlier run would be added in. A
    directory already named there becomes the parent of the new one."""
    path = Path(tempfile.mkdtemp(prefix="omniorder-metrics-", dir=multiprocess_dir()))
    previous = os.environ.get(VARIABLE)
    os.environ[VARIABLE] = str(path)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
        if previous is None:
            os.environ.pop(VARIABLE, None)
        else:
            os.environ[VARIABLE] = previous
