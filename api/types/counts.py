"""GraphQL types of counts, and their per-request DataLoaders."""

from __future__ import annotations

from typing import Any


class StockCountLoaders:
    """Per-request DataLoaders for counts; `loaders` is the request's api.loaders.Loaders."""

    def __init__(self, loaders: Any) -> None:
        self._loaders = loaders
