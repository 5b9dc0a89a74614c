"""Records ↔ domain objects: the only module that knows both shapes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, fields
from decimal import Decimal
from typing import Any

from domain.model.addresses import Address
from domain.model.catalog import ProductKind, Variant
from domain.model.customers import Customer
from domain.model.inventory import StockLevel, StockMovement
from domain.model.locations import Location, LocationKind
from domain.model.order_pricing import TaxedAmount
from domain.model.promotions import DiscountSource, LineDiscount
from domain.model.taxes import plain_percent
from domain.money import Money
from persistence.records import (
    CustomerRecord,
    LocationRecord,
    StockLevelRecord,
    VariantRecord,
)

CENTS = Decimal(100)


def to_cents(money: Money) -> int:
    """What a `*_cents` column holds: the amount in its currency's minor units, cents of
    EUR or USD, yen of JPY, fils of BHD (1.250 BHD is 1250); the columns kept their name."""
    return money.minor_units


def from_cents(cents: int, currency: str) -> Money:
    return Money.from_minor_units(cents, currency)


def to_basis_points(percent: Decimal) -> int:
    """A percentage with two decimals as whole basis points: 12.5 % is 1250."""
    return int(percent * CENTS)


def from_basis_points(points: int) -> Decimal:
    return (Decimal(points) / CENTS).quantize(Decimal("0.01"))


ADDRESS_KEYS = frozenset(field.name for field in fields(Address))


def address_to_json(address: Address | None) -> dict[str, Any] | None:
    """An address as its JSON column holds it: every field by its name, absent ones null."""
    return None if address is None else asdict(address)


def address_from_json(data: dict[str, Any] | None) -> Address | None:
    """The address a JSON column holds (keys it does not know are ignored)."""
    if data is None:
        return None
    return Address(**{key: value for key, value in data.items() if key in ADDRESS_KEYS})


def variant_from_record(record: VariantRecord, kind: str = ProductKind.GOODS) -> Variant:
    return Variant(
        id=record.id,
        product_id=record.product_id,
        sku=record.sku,
        name=record.name,
        barcode=record.barcode,
        price=from_cents(record.price_cents, record.currency),
        kind=ProductKind(kind),
        tax_class=record.tax_class,
        weight_grams=record.weight_grams,
    )


def location_from_record(record: LocationRecord) -> Location:
    return Location(
        id=record.id,
        code=record.code,
        name=record.name,
        kind=LocationKind(record.kind),
        address=record.address,
        postal_address=address_from_json(record.postal_address),
    )


def customer_from_record(record: CustomerRecord) -> Customer:
    return Customer(
        id=record.id,
        email=record.email,
        name=record.name,
        phone=record.phone,
        group_id=record.group_id,
    )


def level_from_record(record: StockLevelRecord) -> StockLevel:
    return StockLevel(
        variant_id=record.variant_id,
        location_id=record.location_id,
        on_hand=record.on_hand,
        reserved=record.reserved,
        in_transit=record.in_transit,
        damaged=record.damaged,
        incoming=record.incoming,
        reorder_point=record.reorder_point,
        safety_stock=record.safety_stock,
    )


def movement_values(movement: StockMovement) -> dict[str, object]:
    """Column values of a movement row, for a bulk insert."""
    return dict(
        variant_id=movement.variant_id,
        location_id=movement.location_id,
        kind=movement.kind.value,
        on_hand_delta=movement.on_hand_delta,
        reserved_delta=movement.reserved_delta,
        in_transit_delta=movement.in_transit_delta,
        damaged_delta=movement.damaged_delta,
        incoming_delta=movement.incoming_delta,
        reason=movement.reason,
        reference=movement.reference,
        note=movement.note,
        actor=movement.actor,
        occurred_at=movement.occurred_at,
    )


def discounts_to_json(discounts: Sequence[LineDiscount]) -> list[dict[str, Any]]:
    """An order line's discounts as its `discounts` column keeps them: amounts in minor
    units, as every amount is stored."""
    return [
        {
            "source": discount.source.value,
            "name": discount.name,
            "amount": discount.amount.minor_units,
            "promotion_id": discount.promotion_id,
            "code": discount.code,
        }
        for discount in discounts
    ]


def discounts_from_json(data: Sequence[dict[str, Any]], currency: str) -> tuple[LineDiscount, ...]:
    return tuple(
        LineDiscount(
            source=DiscountSource(item["source"]),
            name=item["name"],
            amount=Money.from_minor_units(item["amount"], currency),
            promotion_id=item.get("promotion_id"),
            code=item.get("code"),
        )
        for item in data
    )


def taxed_amount(
    net_cents: int, tax_cents: int, tax_name: str, tax_percent: Decimal, currency: str
) -> TaxedAmount:
    return TaxedAmount(
        Money.from_minor_units(net_cents, currency),
        Money.from_minor_units(tax_cents, currency),
        tax_name,
        plain_percent(Decimal(tax_percent)),
    )
