"""Subscriptions on stock alerts."""

from __future__ import annotations

import strawberry


@strawberry.type
class StockAlertSubscriptions:
    pass
