"""Subscriptions on returns."""

from __future__ import annotations

import strawberry


@strawberry.type
class ReturnSubscriptions:
    pass
