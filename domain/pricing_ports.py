"""What pricing needs from storage: tax rates, shipping methods, promotions and vouchers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
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

    # -- setting shipping up (domain/usecases/shipping_methods.py) --------------------
    async def zone_by_code(self, code: str) -> ShippingZone | None:
        """The zone with this code, locked for the transaction (its changes run one at a
        time); None when there is none."""
        ...

    async def add_zone(self, zone: ShippingZone) -> ShippingZone:
        """Store a new zone without its countries (`claim_countries` adds them); Duplicate
        when its code was taken meanwhile."""
        ...

    async def rename_zone(self, zone_id: int, name: str) -> None: ...

    async def claim_countries(self, zone_id: int, countries: Iterable[str]) -> dict[str, str]:
        """Make `countries` the zone's, exactly: its others are let go, those no zone holds
        are taken; returns the ones another zone holds, with that zone's code, and leaves
        them there. Safe under concurrent claims: a country is taken by one guarded insert,
        so two zones never both hold it."""
        ...

    async def method_by_code(self, code: str) -> ShippingMethod | None:
        """The method with this code, locked for the transaction; None when there is none."""
        ...

    async def add_method(self, method: ShippingMethod, zone_id: int) -> ShippingMethod:
        """Store a new method of the zone; Duplicate when its code was taken meanwhile."""
        ...

    async def update_method(self, method: ShippingMethod) -> None:
        """Store a method's every part (by its id): name, prices, brackets, channels..."""
        ...

    async def set_weights(self, weights: Mapping[int, int | None]) -> None:
        """Set the weight in grams of variants by id (None: not weighed)."""
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

    async def uses_by(self, voucher: VoucherCode, customer_id: int) -> int:
        """How many orders of this customer's have used `voucher`."""
        ...

    async def redeem(self, voucher: VoucherCode, order_id: int, customer_id: int | None) -> bool:
        """Count one use of `voucher` by `order_id` (for `customer_id`), unless that would
        pass its usage limit in all or its limit per customer: then nothing is written and
        False is returned. Safe under concurrent orders: the check and the count are one
        guarded write (the voucher's row is locked first on PostgreSQL)."""
        ...

    # -- what the admin's use cases need (domain/usecases/promotions.py) --------------
    async def add(self, promotion: Promotion, at: datetime) -> Promotion:
        """Store a new promotion with its channels and targets; returned with its id."""
        ...

    async def get(self, promotion_id: int) -> Promotion | None:
        """The promotion, its row locked until the transaction ends (it is about to change)."""
        ...

    async def update(self, promotion: Promotion, at: datetime) -> None:
        """Write a promotion's fields, channels and targets over the stored ones."""
        ...

    async def taken_codes(self, codes: Iterable[str]) -> set[str]:
        """Those of `codes` (normalised) some voucher already has."""
        ...

    async def add_vouchers(self, vouchers: Sequence[VoucherCode], *, field: str) -> None:
        """Store new voucher codes; a code taken meanwhile by a concurrent request is a
        Duplicate at `field`."""
        ...

    async def known_products(self, product_ids: Iterable[int]) -> set[int]:
        """Those of `product_ids` that exist."""
        ...

    async def category_ids(self, slugs: Iterable[str]) -> dict[str, int]:
        """The id of each category among `slugs` that exists, by slug."""
        ...

    async def collection_ids(self, slugs: Iterable[str]) -> dict[str, int]:
        """The id of each collection among `slugs` that exists, by slug."""
        ...

    async def customer_group_ids(self, codes: Iterable[str]) -> dict[str, int]:
        """The id of each customer group among `codes` that exists, by code."""
        ...
