"""Rules the lines of every stock document share.

Transfers and purchase orders both name each SKU once with a quantity, and both take
receipts against what is still expected of each line; these checks are the same for both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from domain.errors import InvalidInput


class ArrivedLine(Protocol):
    """What a receipt reports of one line: which SKU, how many units."""

    @property
    def sku(self) -> str: ...

    @property
    def quantity(self) -> int: ...


def check_lines(
    lines: Iterable[tuple[str, int]],
    *,
    document: str,
    max_lines: int,
    max_quantity: int | None = None,
) -> None:
    """At least one (sku, quantity) line, at most `max_lines`, each SKU once, quantities
    positive and, when `max_quantity` is given, no larger than it. `document` names the
    kind of document in messages ("a transfer")."""
    lines = list(lines)
    if not lines:
        raise InvalidInput(f"{document} needs at least one line", field="lines")
    if len(lines) > max_lines:
        raise InvalidInput(f"{document} has at most {max_lines} lines", field="lines")
    seen: set[str] = set()
    for index, (sku, quantity) in enumerate(lines):
        if quantity <= 0 or (max_quantity is not None and quantity > max_quantity):
            allowed = "positive" if max_quantity is None else f"1-{max_quantity:,}"
            raise InvalidInput(
                f"quantity must be {allowed}, got {quantity}", field=f"lines.{index}.quantity"
            )
        if sku in seen:
            raise InvalidInput(f"SKU {sku} appears twice", field=f"lines.{index}.sku")
        seen.add(sku)


def arrived_units(
    received: Iterable[ArrivedLine], expected: Mapping[str, int], *, label: str, expected_as: str
) -> dict[str, int]:
    """Units arrived per SKU, checked against `expected` (units still to come per SKU of
    the document called `label`): each SKU one of its lines, once, never negative, never
    more than expected. `expected_as` says what the expected units are ("shipped")."""
    arrived: dict[str, int] = {}
    for index, line in enumerate(received):
        where = f"lines.{index}"
        if line.sku not in expected:
            raise InvalidInput(f"{label} has no line for SKU {line.sku}", field=f"{where}.sku")
        if line.sku in arrived:
            raise InvalidInput(f"SKU {line.sku} appears twice", field=f"{where}.sku")
        if line.quantity < 0:
            raise InvalidInput("quantity cannot be negative", field=f"{where}.quantity")
        if line.quantity > expected[line.sku]:
            raise InvalidInput(
                f"SKU {line.sku}: {expected[line.sku]} {expected_as}, {line.quantity} received",
                field=f"{where}.quantity",
            )
        arrived[line.sku] = line.quantity
    return arrived
