"""What pricing needs from storage: tax rates, shipping methods, promotions and vouchers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from domain.model.locations import ChannelCode
from domain.model.promotions import PricingTarget, Promotion, VoucherCode
from domain.model.shipping import ShippingMethod, ShippingZone
from domain.model.taxes import TaxClass, TaxRate


class TaxRepository(Protocol):
    async def rates_in(self, country: str) -> list[TaxRate]:
        """Every rate of `country`: its own and its regions', for every class."""
        ...

    async def class_by_code(self, code: str) -> TaxClass | None: ...

    async def add_class(self, tax_class: TaxClass) -> TaxClass:
        """Store a new class; Duplicate when its code is taken (also by a concurrent one)."""
        ...

    async def set_rate(self, rate: TaxRate) -> TaxRate:
        """Store the rate of its (country, region, tax class), replacing the one there was:
        one statement, so concurrent calls for one key leave one rate (the last)."""
        ...

    async def remove_rate(
        self, country: str, region: str | None, tax_class: str | None
    ) -> TaxRate | None:
        """Remove the rate of exactly this key (None matches only None) and return it;
        None when there was none."""
        ...


class ShippingRepository(Protocol):
    async def zone_of(self, country: str) -> ShippingZone | None:
        """The zone `country` belongs to, if any."""
        ...

    async def methods_in(self, zone_code: str) -> list[ShippingMethod]:
        """The zone's methods, active or not, by code."""
        ...


class PromotionRepository(Protocol):
    async def automatic(self, channel: ChannelCode, now: datetime) -> list[Promotion]:
        """Active promotions without voucher codes that run on `channel` at `now`."""
        ...

    async def vouchers(self, codes: Iterable[str]) -> dict[str, tuple[VoucherCode, Promotion]]:
        """The voucher codes among `codes` (normalised) that exist, with their promotion."""
        ...

    async def targets_of(self, product_ids: Iterable[int]) -> dict[int, PricingTarget]:
        """What promotions' targets match for each product: its categories with every
        ancestor of theirs, and its collections."""
        ...

    async def redeem(self, voucher: VoucherCode, order_id: int, customer_id: int | None) -> bool:
        """Count one use of `voucher` by `order_id` (for `customer_id`), unless that would
        pass its usage limit in all or its limit per customer: then nothing is written and
        False is returned. Safe under concurrent orders: the check and the count are one
        guarded write (the voucher's row is locked first on PostgreSQL)."""
        ...
