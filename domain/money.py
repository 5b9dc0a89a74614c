"""Money: a Decimal amount in one ISO 4217 currency. Never a float."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from domain.errors import InvalidInput

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("1e13")  # fits the BIGINT cents column with room for totals
CURRENCY_PATTERN = re.compile(r"[A-Z]{3}")


def currency_code(currency: str, *, field: str) -> str:
    """An ISO 4217 code as a client wrote it (any case, spaces around), upper case;
    INVALID_INPUT at `field` when it is not three letters."""
    code = currency.strip().upper()
    if not CURRENCY_PATTERN.fullmatch(code):
        raise InvalidInput(f"currency {currency!r} is not an ISO 4217 code", field=field)
    return code


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    @classmethod
    def of(cls, amount: Decimal | str | int, currency: str, *, field: str = "price") -> Money:
        """Validated constructor: two decimal places, non-negative, a 3-letter currency."""
        try:
            value = Decimal(amount)
        except (InvalidOperation, TypeError, ValueError) as error:
            raise InvalidInput(f"{amount!r} is not an amount", field=field) from error
        if not value.is_finite() or value < 0:
            raise InvalidInput(f"amount must be zero or more, got {amount}", field=field)
        if value >= MAX_AMOUNT:
            raise InvalidInput(f"amount {amount} is too large", field=field)
        if value != value.quantize(CENT):
            raise InvalidInput(f"amount {amount} has more than two decimals", field=field)
        if not CURRENCY_PATTERN.fullmatch(currency):
            raise InvalidInput(f"currency {currency!r} is not an ISO 4217 code", field=field)
        # `+ 0` turns a negative zero into plain zero.
        return cls(value.quantize(CENT, ROUND_HALF_EVEN) + 0, currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal("0.00"), currency)

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise InvalidInput(f"cannot add {other.currency} to {self.currency}")
        return Money(self.amount + other.amount, self.currency)

    def times(self, quantity: int) -> Money:
        return Money((self.amount * quantity).quantize(CENT, ROUND_HALF_EVEN), self.currency)
