"""GraphQL types of transfers, and their per-request DataLoaders."""

from __future__ import annotations

from typing import Any


class TransferLoaders:
    """Per-request DataLoaders for transfers; `loaders` is the request's api.loaders.Loaders."""

    def __init__(self, loaders: Any) -> None:
        self._loaders = loaders
