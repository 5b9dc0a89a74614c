"""Queries on transfers."""

from __future__ import annotations

import strawberry


@strawberry.type
class TransferQueries:
    pass
