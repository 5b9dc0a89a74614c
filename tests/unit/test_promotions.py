"""Promotions' rules (domain/model/promotions.py) and the one calculation an order's price
comes from (domain/model/order_pricing.py): which discounts stack, how an order discount
is shared over lines, which units BUY_X_GET_Y discounts, when a promotion runs."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from domain.errors import InvalidInput
from domain.model.locations import ChannelCode
from domain.model.order_pricing import LineToPrice, PricingTerms, price
from domain.model.promotions import (
    Candidate,
    DiscountSource,
    Offer,
    PricingTarget,
    Promotion,
    PromotionKind,
    best_combination,
    checked_amounts,
    checked_promotion,
    line_candidate,
    new_voucher,
    normalise_voucher_code,
    promotion_name,
    spread,
)
from domain.model.shipping import ShippingMethod, ShippingPricing
from domain.model.taxes import TaxPlace, TaxRate
from domain.money import Money

NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)
WEB, POS, WHOLESALE = ChannelCode.WEB, ChannelCode.POS, ChannelCode.WHOLESALE


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


def promotion(
    key: int = 1,
    kind: PromotionKind = PromotionKind.PERCENTAGE,
    value: str = "10",
    **fields,
) -> Promotion:
    fields.setdefault("channels", (WEB,))
    return Promotion(name=f"P{key}", kind=kind, value=Decimal(value), id=key, **fields)


def candidate(found: Promotion, **amounts: str) -> Candidate:
    """What `found` would take off lines `line0`, `line1`… (keyword per line index)."""
    return Candidate(
        Offer(found), {int(name.removeprefix("line")): usd(a) for name, a in amounts.items()}
    )


def taken(discounts) -> list[tuple[str, str]]:
    return [(discount.name, str(discount.amount.amount)) for discount in discounts]


# -- best_combination: the stacking rule ------------------------------------------------


def test_stackable_discounts_add_up():
    found = best_combination(
        [
            candidate(promotion(1, stackable=True), line0="3.00"),
            candidate(promotion(2, stackable=True), line0="2.00"),
        ],
        usd("10.00"),
        0,
    )
    assert taken(found) == [("P1", "3.00"), ("P2", "2.00")]


def test_stackable_discounts_never_take_more_than_the_line_costs():
    found = best_combination(
        [
            candidate(promotion(1, stackable=True), line0="6.00"),
            candidate(promotion(2, stackable=True), line0="6.00"),
            candidate(promotion(3, stackable=True), line0="1.00"),
        ],
        usd("10.00"),
        0,
    )
    assert taken(found) == [("P1", "6.00"), ("P2", "4.00")]


def test_a_non_stackable_discount_alone_wins_when_it_takes_more_than_the_stacked_ones():
    found = best_combination(
        [
            candidate(promotion(1), line0="4.00"),
            candidate(promotion(2, stackable=True), line0="2.00"),
            candidate(promotion(3, stackable=True), line0="1.50"),
        ],
        usd("10.00"),
        0,
    )
    assert taken(found) == [("P1", "4.00")]


def test_the_stacked_discounts_win_when_they_take_more_or_as_much():
    stacked = [
        candidate(promotion(2, stackable=True), line0="2.00"),
        candidate(promotion(3, stackable=True), line0="1.50"),
    ]
    less = best_combination([candidate(promotion(1), line0="3.00"), *stacked], usd("10"), 0)
    tie = best_combination([candidate(promotion(1), line0="3.50"), *stacked], usd("10"), 0)
    assert taken(less) == taken(tie) == [("P2", "2.00"), ("P3", "1.50")]


def test_two_non_stackable_discounts_never_combine_the_best_one_applies():
    found = best_combination(
        [candidate(promotion(1), line0="3.00"), candidate(promotion(2), line0="5.00")],
        usd("10.00"),
        0,
    )
    assert taken(found) == [("P2", "5.00")]


def test_a_non_stackable_discount_is_capped_at_what_the_line_costs():
    found = best_combination([candidate(promotion(1), line0="15.00")], usd("10.00"), 0)
    assert taken(found) == [("P1", "10.00")]


def test_a_line_no_discount_touches_gets_none():
    found = best_combination([candidate(promotion(1), line1="3.00")], usd("10.00"), 0)
    assert found == []


def test_a_voucher_discount_records_its_code():
    offer = Offer(promotion(1, needs_voucher=True), code="SPRING")
    found = best_combination([Candidate(offer, {0: usd("1.00")})], usd("10.00"), 0)
    assert found[0].source is DiscountSource.VOUCHER and found[0].code == "SPRING"


# -- spread: an order discount over its lines ------------------------------------------


def test_an_order_discount_is_spread_in_proportion_to_what_each_line_costs():
    assert spread(usd("1.00"), [usd("3.00"), usd("1.00")]) == [usd("0.75"), usd("0.25")]


def test_the_cents_left_by_rounding_go_to_the_largest_remainders():
    shares = spread(usd("0.10"), [usd("1.00"), usd("2.00"), usd("4.00")])
    assert shares == [usd("0.01"), usd("0.03"), usd("0.06")]


def test_equal_remainders_go_to_the_earlier_lines_and_the_shares_sum_exactly():
    shares = spread(usd("10.00"), [usd("1.00")] * 3)
    assert shares == [usd("3.34"), usd("3.33"), usd("3.33")]
    assert Money.total(shares, "USD") == usd("10.00")


@pytest.mark.parametrize("cents", [1, 7, 99, 1001, 123457])
def test_spread_shares_always_sum_to_the_discount(cents):
    weights = [usd("0.03"), usd("17.99"), usd("5.00"), usd("0.01")]
    amount = Money.from_minor_units(cents, "USD")
    assert Money.total(spread(amount, weights), "USD") == amount


def test_nothing_is_spread_over_lines_that_cost_nothing():
    assert spread(usd("5.00"), [usd("0"), usd("0")]) == [usd("0"), usd("0")]


# -- BUY_X_GET_Y ---------------------------------------------------------------------


def three_for_two(buy: int = 2, get: int = 1, value: str = "100") -> Offer:
    return Offer(
        promotion(kind=PromotionKind.BUY_X_GET_Y, value=value, buy_quantity=buy, get_quantity=get)
    )


def test_buy_two_get_one_free_discounts_the_cheapest_unit():
    units = [usd("10.00"), usd("4.00"), usd("6.00")]
    found = line_candidate(three_for_two(), units, units, [2, 1, 1], [True, True, True])
    assert found.amounts == {1: usd("4.00")}


def test_buy_one_get_one_half_price_discounts_the_cheapest_units_first():
    units = [usd("10.00"), usd("4.00")]
    bases = [usd("30.00"), usd("4.00")]
    found = line_candidate(three_for_two(1, 1, "50"), bases, units, [3, 1], [True, True])
    assert found.amounts == {1: usd("2.00"), 0: usd("5.00")}


def test_buy_x_get_y_counts_and_discounts_only_targeted_units():
    units = [usd("1.00"), usd("9.00"), usd("8.00")]
    found = line_candidate(three_for_two(), units, units, [5, 2, 1], [False, True, True])
    assert found.amounts == {2: usd("8.00")}


def test_too_few_units_for_buy_x_get_y_take_nothing_off():
    units = [usd("10.00")]
    assert line_candidate(three_for_two(), units, units, [2], [True]).amounts == {}


def test_a_fixed_amount_comes_off_each_unit_never_below_zero():
    offer = Offer(promotion(kind=PromotionKind.FIXED_AMOUNT, value="3", currency="USD"))
    bases, units = [usd("20.00"), usd("2.00")], [usd("10.00"), usd("2.00")]
    found = line_candidate(offer, bases, units, [2, 1], [True, True])
    assert found.amounts == {0: usd("6.00"), 1: usd("2.00")}


# -- runs_for and targets --------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"active": False}, "is not active"),
        ({"channels": (POS,)}, "does not run on channel WEB"),
        ({"starts_at": NOW + timedelta(seconds=1)}, "has not started yet"),
        ({"ends_at": NOW}, "has ended"),
        ({"currency": "EUR"}, "is for orders in EUR"),
        ({"customer_group_ids": frozenset({7})}, "is for other customer groups"),
    ],
)
def test_a_promotion_says_why_it_does_not_run(fields, reason):
    assert promotion(**fields).runs_for(WEB, NOW, "USD", None) == reason


def test_a_promotion_runs_inside_its_window_for_its_groups():
    found = promotion(
        starts_at=NOW,
        ends_at=NOW + timedelta(days=1),
        currency="USD",
        customer_group_ids=frozenset({7}),
    )
    assert found.runs_for(WEB, NOW, "USD", 7) is None


def test_a_promotion_without_targets_touches_every_line():
    assert promotion().targets(PricingTarget(5))


@pytest.mark.parametrize(
    ("fields", "hit"),
    [
        ({"product_ids": frozenset({5})}, True),
        ({"product_ids": frozenset({6})}, False),
        ({"category_ids": frozenset({30})}, True),  # an ancestor of the product's category
        ({"collection_ids": frozenset({40})}, True),
        ({"category_ids": frozenset({31}), "collection_ids": frozenset({41})}, False),
    ],
)
def test_a_promotions_targets_touch_lines_by_product_category_or_collection(fields, hit):
    line = PricingTarget(5, frozenset({30, 33}), frozenset({40}))
    assert promotion(**fields).targets(line) is hit


# -- checks ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"value": Decimal(0)}, "value"),
        ({"value": Decimal("NaN")}, "value"),
        ({"value": Decimal("100.01")}, "value"),
        ({"kind": PromotionKind.ORDER_FIXED_AMOUNT}, "currency"),
        ({"minimum_subtotal": Decimal(50)}, "currency"),
        ({"kind": PromotionKind.BUY_X_GET_Y, "get_quantity": 1}, "buyQuantity"),
        (
            {"kind": PromotionKind.BUY_X_GET_Y, "buy_quantity": 1, "get_quantity": 1001},
            "getQuantity",
        ),
        ({"channels": ()}, "channels"),
        ({"starts_at": NOW, "ends_at": NOW}, "endsAt"),
    ],
)
def test_checked_promotion_refuses_what_makes_no_sense_on_its_field(fields, field):
    with pytest.raises(InvalidInput) as refused:
        checked_promotion(replace(promotion(), **fields))
    assert refused.value.field == field


def test_checked_promotion_keeps_a_sound_one():
    sound = promotion(kind=PromotionKind.BUY_X_GET_Y, value="100", buy_quantity=2, get_quantity=1)
    assert checked_promotion(sound) is sound


def test_checked_amounts_keep_what_is_stored_two_decimal_percentages_minor_unit_amounts():
    eastern = timezone(timedelta(hours=2))
    checked = checked_amounts(
        promotion(
            kind=PromotionKind.ORDER_FIXED_AMOUNT,
            value="7.5",
            currency="USD",
            starts_at=datetime(2026, 1, 1, tzinfo=eastern),
        )
    )
    assert str(checked.value) == "7.50" and checked.starts_at == datetime(
        2025, 12, 31, 22, tzinfo=UTC
    )
    assert str(checked_amounts(promotion(value="12.5")).value) == "12.50"
    for refused, field in [
        (promotion(value="12.345"), "value"),
        (
            promotion(
                kind=PromotionKind.FIXED_AMOUNT,
                value="1",
                currency="JPY",
                minimum_subtotal=Decimal("0.5"),
            ),
            "minimumSubtotal",
        ),
        (promotion(starts_at=datetime(2026, 1, 1)), "startsAt"),
    ]:
        with pytest.raises(InvalidInput) as error:
            checked_amounts(refused)
        assert error.value.field == field


def test_voucher_codes_are_matched_in_any_case_and_checked():
    assert normalise_voucher_code("  spring-10 ") == "SPRING-10"
    for bad in ("ab", "has space", "x" * 65, "-LEADING"):
        with pytest.raises(InvalidInput):
            normalise_voucher_code(bad)


def test_a_new_vouchers_limits_are_at_least_one_use():
    voucher = new_voucher("vip", 3, 10, None, field="codes.0")
    assert (voucher.code, voucher.usage_limit, voucher.used) == ("VIP", 10, 0)
    with pytest.raises(InvalidInput) as refused:
        new_voucher("VIP", 3, None, 0, field="codes.2")
    assert refused.value.field == "codes.2.perCustomerLimit"


def test_a_promotion_name_is_trimmed_and_bounded():
    assert promotion_name("  Summer   sale ") == "Summer sale"
    with pytest.raises(InvalidInput):
        promotion_name(" ")


# -- price(): the order's calculation --------------------------------------------------

TEE = LineToPrice("TEE", 2, usd("20.00"), PricingTarget(1, frozenset({10})))
MUG = LineToPrice("MUG", 1, usd("10.00"), PricingTarget(2))


def terms(*offers: Offer, **fields) -> PricingTerms:
    return PricingTerms(
        channel=fields.pop("channel", WEB), currency="USD", now=NOW, offers=offers, **fields
    )


def test_line_promotions_come_first_then_order_promotions_on_what_is_left():
    tees_off = promotion(1, value="10", category_ids=frozenset({10}))
    order_off = promotion(2, kind=PromotionKind.ORDER_FIXED_AMOUNT, value="4.60", currency="USD")
    priced = price([TEE, MUG], terms(Offer(tees_off), Offer(order_off)))
    assert taken(priced.lines[0].discounts) == [("P1", "4.00"), ("P2", "3.60")]
    assert taken(priced.lines[1].discounts) == [("P2", "1.00")]
    assert priced.lines[0].amounts.gross == usd("32.40")
    assert priced.lines[1].amounts.gross == usd("9.00")
    assert priced.used(Offer(tees_off)) and priced.used(Offer(order_off))


def test_a_hand_given_discount_comes_off_before_promotions():
    line = replace(TEE, manual_discount=usd("5.00"))
    priced = price([line], terms(Offer(promotion(1, value="10"))))
    discounts = priced.lines[0].discounts
    assert [d.source for d in discounts] == [DiscountSource.MANUAL, DiscountSource.PROMOTION]
    assert taken(discounts)[1] == ("P1", "3.50")
    assert priced.lines[0].amounts.gross == usd("31.50")


def test_promotions_that_do_not_run_or_miss_their_minimum_take_nothing_off():
    elsewhere = promotion(1, channels=(POS,))
    too_big = promotion(2, currency="USD", minimum_subtotal=Decimal("100"))
    priced = price([TEE, MUG], terms(Offer(elsewhere), Offer(too_big)))
    assert all(line.discounts == () for line in priced.lines)
    assert priced.used_offers == frozenset()


def test_tax_is_split_out_of_prices_that_include_it_and_added_to_those_that_do_not():
    line = LineToPrice("MUG", 1, usd("12.00"), PricingTarget(2))
    vat = TaxRate(country="FR", percent=Decimal(20), name="VAT")
    inclusive = price([line], terms(tax_rates=(vat,), tax_place=TaxPlace("FR")))
    exclusive = price(
        [line], terms(tax_rates=(vat,), tax_place=TaxPlace("FR"), prices_include_tax=False)
    )
    amounts = inclusive.lines[0].amounts
    assert (amounts.net, amounts.tax, amounts.gross) == (usd("10.00"), usd("2.00"), usd("12.00"))
    amounts = exclusive.lines[0].amounts
    assert (amounts.net, amounts.tax, amounts.gross) == (usd("12.00"), usd("2.40"), usd("14.40"))
    assert amounts.tax_name == "VAT"


def test_tax_is_reckoned_on_the_line_after_its_discounts():
    vat = TaxRate(country="FR", percent=Decimal(20), name="VAT")
    priced = price(
        [LineToPrice("MUG", 1, usd("12.00"), PricingTarget(2))],
        terms(Offer(promotion(1, value="50")), tax_rates=(vat,), tax_place=TaxPlace("FR")),
    )
    amounts = priced.lines[0].amounts
    assert (amounts.net, amounts.tax, amounts.gross) == (usd("5.00"), usd("1.00"), usd("6.00"))


def test_shipping_is_free_above_its_threshold_reckoned_after_discounts():
    standard = ShippingMethod(
        code="STD",
        name="Standard",
        zone_code="US",
        pricing=ShippingPricing.FLAT,
        currency="USD",
        channels=(WEB,),
        price=usd("5.00"),
        free_above=usd("50.00"),
    )
    lines = [TEE, replace(MUG, quantity=2)]  # 60.00 of goods
    full_price = price(lines, terms(shipping_method=standard))
    discounted = price(lines, terms(Offer(promotion(1, value="20")), shipping_method=standard))
    assert full_price.shipping is not None and full_price.shipping.amounts.gross == usd("0.00")
    assert discounted.shipping is not None and discounted.shipping.amounts.gross == usd("5.00")


def test_a_wholesale_promotion_comes_off_the_group_price():
    group_priced = LineToPrice("TEE", 10, usd("8.00"), PricingTarget(1))
    offer = Offer(promotion(1, value="10", channels=(WHOLESALE,)))
    priced = price([group_priced], terms(offer, channel=WHOLESALE, customer_group_id=3))
    assert taken(priced.lines[0].discounts) == [("P1", "8.00")]
    assert priced.lines[0].amounts.gross == usd("72.00")


def test_the_worked_example_of_docs_promotions_md():
    tees = frozenset({1})
    a = promotion(1, value="10", stackable=True, category_ids=tees)
    b = promotion(
        2, PromotionKind.FIXED_AMOUNT, "2", currency="USD", stackable=True, category_ids=tees
    )
    c = promotion(3, value="15")
    d = promotion(4, PromotionKind.ORDER_PERCENTAGE, "4", stackable=True)
    lines = [replace(TEE, target=PricingTarget(1, tees)), MUG]
    priced = price(lines, terms(*(Offer(p) for p in (a, b, c, d))))
    assert taken(priced.lines[0].discounts) == [("P1", "4.00"), ("P2", "4.00"), ("P4", "1.28")]
    assert taken(priced.lines[1].discounts) == [("P3", "1.50"), ("P4", "0.34")]
    assert [line.amounts.gross for line in priced.lines] == [usd("30.72"), usd("8.16")]
    bigger_c = price(lines[:1], terms(*(Offer(p) for p in (a, b, replace(c, value=Decimal(25))))))
    assert taken(bigger_c.lines[0].discounts) == [("P3", "10.00")]
