"""Mutations on counts."""

from __future__ import annotations

import strawberry


@strawberry.type
class StockCountMutations:
    pass
