"""Queries on returns."""

from __future__ import annotations

import strawberry


@strawberry.type
class ReturnQueries:
    pass
