"""API objects built from read rows: what the shortcuts on the hot path (shared Locations,
enum members by value, amounts from minor units) must leave exactly as it was."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import pytest

from api.types.common import MembersByValue, Money
from api.types.inventory import StockLevel
from domain.model.locations import LocationKind
from domain.model.orders import OrderStatus


def level_row(
    level_id: int, location_id: int, on_hand: int = 5, reserved: int = 2
) -> tuple[Any, ...]:
    """A row of stock_reads.LEVEL_COLUMNS."""
    code = f"LOC-{location_id}"
    return (
        level_id,
        7,
        location_id,
        on_hand,
        reserved,
        1,
        0,
        3,
        4,
        1,
        datetime(2026, 12, 6, tzinfo=UTC),
        code,
        code.title(),
        "STORE" if location_id % 2 else "WAREHOUSE",
        f"{location_id} High Street",
    )


def test_levels_of_one_read_at_the_same_location_share_it() -> None:
    levels = StockLevel.from_rows([level_row(1, 1), level_row(2, 2), level_row(3, 1)])

    assert levels[0].location is levels[2].location
    assert levels[0].location is not levels[1].location


def test_levels_of_separate_reads_do_not_share_a_location() -> None:
    (first,) = StockLevel.from_rows([level_row(1, 1)])
    (second,) = StockLevel.from_rows([level_row(2, 1)])

    assert first.location is not second.location


def test_levels_read_together_equal_levels_built_one_by_one() -> None:
    rows = [level_row(1, 1, 9, 4), level_row(2, 2), level_row(3, 1, 0, 0)]

    levels = StockLevel.from_rows(rows)

    assert levels == [StockLevel.from_row(row) for row in rows]
    assert [level.available for level in levels] == [5, 3, 0]
    assert levels[1].location.kind is LocationKind.WAREHOUSE
    assert levels[1].location.code == "LOC-2"


@pytest.mark.parametrize("enum", [LocationKind, OrderStatus])
def test_members_by_value_are_the_enums_own(enum: type[Enum]) -> None:
    members = MembersByValue(enum)

    assert [members[member.value] for member in enum] == list(enum)


def test_a_value_no_member_has_raises_as_the_enum_does() -> None:
    with pytest.raises(ValueError, match="is not a valid LocationKind"):
        MembersByValue(LocationKind)["SHED"]


@pytest.mark.parametrize(
    ("cents", "currency", "amount"),
    [(1500, "JPY", "1500"), (999, "USD", "9.99"), (1250, "BHD", "1.250"), (1990, "XYZ", "19.90")],
)
def test_money_from_cents_has_the_currencys_decimals(
    cents: int, currency: str, amount: str
) -> None:
    money = Money.from_cents(cents, currency)

    assert (str(money.amount), money.currency) == (amount, currency)
    assert money.amount == Decimal(amount)
