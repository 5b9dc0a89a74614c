"""Small shared types: Money, and the domain's enums registered as GraphQL enums.

`strawberry.enum` marks each domain enum in place, so the API uses the domain's own classes.
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

import strawberry

from domain.access import Role
from domain.model.catalog import ProductKind, ProductStatus
from domain.model.inventory import AdjustmentReason, MovementKind
from domain.model.locations import ChannelCode, LocationKind
from domain.model.orders import FulfilmentMethod, OrderStatus
from domain.model.payments import (
    CaptureMoment,
    EntryKind,
    OrderPaymentStatus,
    PaymentMethod,
    PaymentState,
)
from domain.model.pos_sync import SyncStatus
from domain.money import Money as DomainMoney
from domain.money import amount_of_minor_units

E = TypeVar("E", bound=Enum)

strawberry.enum(ProductStatus, description="Whether a product is on sale.")
strawberry.enum(
    ProductKind, description="GOODS, held in stock and ordered; or a SERVICE, booked and performed."
)
strawberry.enum(LocationKind, description="What a location is.")
strawberry.enum(ChannelCode, description="A sales channel.")
strawberry.enum(MovementKind, description="What kind of stock change.")
strawberry.enum(AdjustmentReason, description="Why stock was adjusted by hand.")
strawberry.enum(OrderStatus, description="Where an order is in its lifecycle.")
strawberry.enum(FulfilmentMethod, description="How the goods reach the customer.")
strawberry.enum(SyncStatus, description="What became of a document a POS terminal synced.")
strawberry.enum(Role, description="What a caller may do.")
strawberry.enum(PaymentMethod, description="How a customer pays: at a till, online or by hand.")
strawberry.enum(PaymentState, description="Where a payment is in its lifecycle.")
strawberry.enum(EntryKind, description="What a ledger entry did to a payment's money.")
strawberry.enum(OrderPaymentStatus, description="How far an order is paid.")
strawberry.enum(CaptureMoment, description="When a channel takes the money it authorized.")


@strawberry.type(description="An amount of money in one currency; the amount is a decimal.")
class Money:
    amount: Decimal = strawberry.field(
        description="Decimal amount, with as many places as the currency has minor units "
        "(1500 JPY, 9.99 USD, 1.250 BHD)."
    )
    currency: str = strawberry.field(description="ISO 4217 currency code.")

    @classmethod
    def of(cls, money: DomainMoney) -> Money:
        """A domain amount, as the API shows it."""
        return cls(amount=money.amount, currency=money.currency)

    @classmethod
    def from_cents(cls, cents: int, currency: str) -> Money:
        """From a stored `*_cents` column: a count of the currency's minor units."""
        return cls(amount=amount_of_minor_units(cents, currency), currency=currency)


class MembersByValue(dict[Any, E]):
    """An enum's members by value, for building objects from rows: `members[value]` is
    `enum(value)` at the cost of a dict lookup (an Enum call is ten times that, and a page
    makes one per row and enum column). A value that is no member's goes to `enum(value)`,
    which raises ValueError as before."""

    def __init__(self, enum: type[E]) -> None:
        super().__init__((member.value, member) for member in enum)
        self._enum = enum

    def __missing__(self, value: Any) -> E:
        return self._enum(value)
