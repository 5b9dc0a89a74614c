"""Queries on counts."""

from __future__ import annotations

import strawberry


@strawberry.type
class StockCountQueries:
    pass
