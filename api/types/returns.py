"""GraphQL types of returns, and their per-request DataLoaders."""

from __future__ import annotations

from typing import Any


class ReturnLoaders:
    """Per-request DataLoaders for returns; `loaders` is the request's api.loaders.Loaders."""

    def __init__(self, loaders: Any) -> None:
        self._loaders = loaders
