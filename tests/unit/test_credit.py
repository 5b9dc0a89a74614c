"""The credit limit rule: exposure + order may reach the limit, never pass it; only orders
in the limit's currency are judged."""

from decimal import Decimal

import pytest

from domain.errors import CreditLimitExceeded
from domain.model.credit import CreditPosition, effective_limit
from domain.money import Money


def usd(amount: str) -> Money:
    return Money.of(Decimal(amount), "USD")


def test_a_customers_own_limit_overrides_its_groups():
    assert effective_limit(usd("50"), usd("1000")) == usd("50")


def test_without_its_own_limit_a_customer_has_its_groups():
    assert effective_limit(None, usd("1000")) == usd("1000")


def test_without_any_limit_credit_is_unlimited():
    position = CreditPosition(effective_limit(None, None), None)

    assert not position.exceeded_by(usd("1000000"))
    assert position.available is None
    position.require_room_for(usd("1000000"))


def test_an_order_that_reaches_the_limit_exactly_fits():
    position = CreditPosition(usd("100"), usd("70"))

    position.require_room_for(usd("30"))


def test_an_order_that_passes_the_limit_is_refused_with_the_figures():
    position = CreditPosition(usd("100"), usd("90.00"))

    with pytest.raises(CreditLimitExceeded) as refused:
        position.require_room_for(usd("30.00"))

    assert "exposure 90.00 USD + order 30.00 USD > limit 100.00 USD" in refused.value.message
    assert refused.value.field == "lines"


def test_a_limit_of_zero_gives_no_credit():
    with pytest.raises(CreditLimitExceeded):
        CreditPosition(usd("0"), usd("0")).require_room_for(usd("0.01"))


def test_an_order_in_another_currency_is_not_judged_by_the_limit():
    position = CreditPosition(usd("100"), usd("100"))

    assert not position.exceeded_by(Money.of(Decimal("500"), "EUR"))


def test_available_credit_is_the_limit_less_exposure_never_below_zero():
    assert CreditPosition(usd("100"), usd("30")).available == usd("70")
    assert CreditPosition(usd("100"), usd("150")).available == usd("0")


def test_an_override_is_noted_only_when_it_overrides_something():
    position = CreditPosition(usd("100.00"), usd("90.00"))

    assert position.override_note(usd("10.00")) is None
    assert position.override_note(usd("60.00")) == (
        "credit limit overridden by admin: exposure 90.00 USD + order 60.00 USD > limit 100.00 USD"
    )
