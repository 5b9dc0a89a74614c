"""Money: a Decimal amount in one ISO 4217 currency, to that currency's minor unit. Never a
float.

The currencies and their minor units are ISO 4217's current list (List One), as the
`iso4217` package ships it: JPY has no minor unit (1500 JPY), EUR, USD and GBP have two
(9.99 USD), BHD and KWD three (1.250 BHD). An amount with more decimals than its currency
has is refused, never rounded. Codes ISO lists without a minor unit (XAU gold, XDR, XTS
testing, XXX no currency) are not currencies a price can be in.

Stored, an amount is an integer count of the currency's minor units (`minor_units`,
`from_minor_units`): 1500 for 1500 JPY, 1250 for 1.250 BHD, 999 for 9.99 USD.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from types import MappingProxyType

from iso4217 import Currency

from domain.errors import InvalidInput

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("1e13")  # fits a BIGINT column of minor units with room for totals
CURRENCY_PATTERN = re.compile(r"[A-Z]{3}")
MINOR_UNITS: Mapping[str, int] = MappingProxyType(
    {currency.code: currency.exponent for currency in Currency if currency.exponent is not None}
)
# A code stored before currencies were checked against ISO 4217 (or dropped from its list
# since) is read with two decimals, as every amount was stored then.
UNLISTED_MINOR_UNITS = 2


def currency_code(currency: str, *, field: str) -> str:
    """An ISO 4217 code as a client wrote it (any case, spaces around), upper case;
    INVALID_INPUT at `field` when ISO 4217 lists no such currency."""
    code = currency.strip().upper()
    _require_listed(code, currency, field=field)
    return code


def minor_unit_digits(currency: str) -> int:
    """How many decimals an amount in `currency` has: 0 for JPY, 2 for EUR, 3 for BHD."""
    return MINOR_UNITS.get(currency, UNLISTED_MINOR_UNITS)


def minor_unit(currency: str) -> Decimal:
    """The smallest amount of `currency`: 1 for JPY, 0.01 for EUR, 0.001 for BHD."""
    return Decimal(1).scaleb(-minor_unit_digits(currency))


def amount_of_minor_units(units: int, currency: str) -> Decimal:
    """The amount a stored count of `currency`'s minor units stands for, without a Money
    around it: for readers that show stored amounts by the thousand (1250 BHD: 1.250)."""
    return Decimal(units).scaleb(-minor_unit_digits(currency))


def _require_listed(code: str, typed: str, *, field: str) -> None:
    if not CURRENCY_PATTERN.fullmatch(code) or code not in MINOR_UNITS:
        raise InvalidInput(f"currency {typed!r} is not an ISO 4217 currency code", field=field)


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    @classmethod
    def of(cls, amount: Decimal | str | int, currency: str, *, field: str = "price") -> Money:
        """Validated constructor: a currency ISO 4217 lists (its upper-case code), an
        amount of zero or more with no more decimals than the currency's minor unit."""
        try:
            value = Decimal(amount)
        except (InvalidOperation, TypeError, ValueError) as error:
            raise InvalidInput(f"{amount!r} is not an amount", field=field) from error
        if not value.is_finite() or value < 0:
            raise InvalidInput(f"amount must be zero or more, got {amount}", field=field)
        if value >= MAX_AMOUNT:
            raise InvalidInput(f"amount {amount} is too large", field=field)
        _require_listed(currency, currency, field=field)
        unit = minor_unit(currency)
        if value != value.quantize(unit):
            digits = minor_unit_digits(currency)
            raise InvalidInput(
                f"amount {amount} has more decimals than {currency} has ({digits})", field=field
            )
        # `+ 0` turns a negative zero into plain zero.
        return cls(value.quantize(unit) + 0, currency)

    @classmethod
    def rounded(cls, amount: Decimal, currency: str, rounding: str = ROUND_HALF_EVEN) -> Money:
        """`amount` rounded to the currency's minor unit, for amounts the domain computes
        (a line's total, a discounted price); what a client sends goes through `of`."""
        return cls(amount.quantize(minor_unit(currency), rounding) + 0, currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls.rounded(Decimal(0), currency)

    @classmethod
    def total(cls, amounts: Iterable[Money], currency: str) -> Money:
        """The sum of `amounts`, all in `currency` (zero when there are none)."""
        total = cls.zero(currency)
        for amount in amounts:
            total = total + amount
        return total

    @classmethod
    def from_minor_units(cls, units: int, currency: str) -> Money:
        """The amount a stored count of minor units stands for (1250 BHD-fils: 1.250 BHD)."""
        return cls(amount_of_minor_units(units, currency), currency)

    @property
    def minor_units(self) -> int:
        """The amount as a count of the currency's minor units, as it is stored."""
        return int(self.amount.scaleb(minor_unit_digits(self.currency)))

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise InvalidInput(f"cannot add {other.currency} to {self.currency}")
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        """The difference, which may be negative (what a balance lacks); never across currencies."""
        if other.currency != self.currency:
            raise InvalidInput(f"cannot subtract {other.currency} from {self.currency}")
        return Money(self.amount - other.amount, self.currency)

    def times(self, quantity: int) -> Money:
        return Money.rounded(self.amount * quantity, self.currency)
