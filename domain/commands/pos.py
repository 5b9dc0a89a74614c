"""Commands of POS terminals: registering a till, and syncing the sales it rang up offline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from domain.model.pos import SaleLine, SalePayment


@dataclass(frozen=True)
class RegisterPosTerminal:
    store_code: str
    name: str
    token_lifetime: timedelta = timedelta(days=30)  # OMNIORDER_TOKEN_DAYS


@dataclass(frozen=True)
class PosSale:
    """One sale as the terminal recorded it; `client_sale_id` is its idempotency key."""

    client_sale_id: UUID
    occurred_at: datetime
    lines: tuple[SaleLine, ...]
    payments: tuple[SalePayment, ...]
    customer_email: str | None = None


@dataclass(frozen=True)
class SyncPosSales:
    sales: tuple[PosSale, ...]
