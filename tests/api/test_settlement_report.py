"""The settlement report: money captured and refunded in a period, by UTC day, channel,
location and payment method, per currency, from one SQL aggregate over the payment ledger;
and who may read it. Every test runs on SQLite and PostgreSQL.

The money (times UTC, 2026), orders placed through the API, paid and refunded through the
use cases at chosen times:

    A  WEB SHIPPING TEE-S x2 (WH-A), 39.80 USD: BANK_TRANSFER 39.80 on 03-02 10:00,
       19.90 refunded 03-03 09:00
    B  WEB PICKUP at ST-B, MUG x1, 9.50 USD: CASH 9.50 on 03-02 23:30
    C  MOBILE SHIPPING TEE-M x1 (WH-A), 19.90 USD: CASH 5.00 and CHEQUE 14.90 on 03-03
    D  WEB SHIPPING SCARF x2 (WH-A), 50.00 EUR: BANK_TRANSFER 50.00 on 03-03 08:00
    E  WEB SHIPPING TEE-S x1, 19.90 USD: CASH 19.90 on 04-01 00:00, after the period
"""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from strawberry import relay

from api.payments.manual import ManualGateway
from domain.access import Principal, Role
from domain.commands.catalog import CreateProduct, NewVariant
from domain.commands.payments import RecordManualPayment, RefundPayment
from domain.model.payments import PaymentMethod
from domain.payment_gateway import PaymentGateways
from domain.usecases import catalog, payments, refunds
from persistence.uow import SqlUnitOfWork
from tests.api.conftest import add_stock, build_shop
from tests.api.orders_documents import pickup_order, place, shipping_order
from tests.api.pos_documents import register, sale, sync
from tests.api.test_query_count import counting_statements

FIGURES = "currency captured { amount } refunded { amount } net { amount } count refundCount"
SETTLEMENT_REPORT = f"""
query Settlement($from: DateTime!, $to: DateTime!, $groupBy: SettlementGrouping!) {{
  settlementReport(from: $from, to: $to, groupBy: $groupBy) {{
    groupBy from to
    rows {{ key {{ label day channel locationCode method location {{ code }} }} {FIGURES} }}
    totals {{ {FIGURES} }}
  }}
}}"""
MARCH = {"from": "2026-03-01T00:00:00Z", "to": "2026-04-01T00:00:00Z"}
SYSTEM = Principal.system("test-setup")
GATEWAYS = PaymentGateways({"manual": ManualGateway()})

EUR_TOTALS = (None, "EUR", "50.00", "0.00", "50.00", 1, 0)
USD_TOTALS = (None, "USD", "69.20", "19.90", "49.30", 4, 1)


def at(moment: str) -> datetime:
    return datetime.fromisoformat(moment).replace(tzinfo=UTC)


def figures(row: dict) -> tuple:
    """(label, currency, captured, refunded, net, count, refund count)."""
    return (
        row["key"]["label"] if "key" in row else None,
        row["currency"],
        row["captured"]["amount"],
        row["refunded"]["amount"],
        row["net"]["amount"],
        row["count"],
        row["refundCount"],
    )


async def placed(graphql, variables: dict) -> int:
    payload = await place(graphql, variables)
    assert payload["userErrors"] == [], payload
    return int(relay.GlobalID.from_id(payload["order"]["id"]).node_id)


async def pay(database, order_id: int, amount: str, method: PaymentMethod, when: str) -> int:
    command = RecordManualPayment(order_id, amount, method, f"ref-{when}", f"pay-{when}")
    result = await payments.record_manual_payment(
        SqlUnitOfWork(database), SYSTEM, command, at(when)
    )
    assert result.payment.id is not None
    return result.payment.id


async def refund(database, payment_id: int, amount: str, when: str) -> None:
    command = RefundPayment(payment_id, amount, "goodwill", f"refund-{when}")
    use_case = refunds.refund_payment(GATEWAYS)
    await use_case(SqlUnitOfWork(database), SYSTEM, command, at(when))


@pytest.fixture
async def money(database, graphql):
    shop = await build_shop(
        database, {("TEE-S", "WH-A"): 10, ("TEE-M", "WH-A"): 5, ("MUG", "ST-B"): 4}
    )
    scarf = CreateProduct("Scarf", (NewVariant("SCARF", "One", Decimal("25.00"), "EUR"),))
    await catalog.create_product(SqlUnitOfWork(database), SYSTEM, scarf)
    await add_stock(database, {("SCARF", "WH-A"): 5})
    a = await placed(graphql, shipping_order(("TEE-S", 2)))
    b = await placed(graphql, pickup_order(shop.store, ("MUG", 1)))
    c = await placed(graphql, shipping_order(("TEE-M", 1), channel="MOBILE"))
    d = await placed(graphql, shipping_order(("SCARF", 2)))
    e = await placed(graphql, shipping_order(("TEE-S", 1)))
    paid_a = await pay(database, a, "39.80", PaymentMethod.BANK_TRANSFER, "2026-03-02T10:00:00")
    await refund(database, paid_a, "19.90", "2026-03-03T09:00:00")
    await pay(database, b, "9.50", PaymentMethod.CASH, "2026-03-02T23:30:00")
    await pay(database, c, "5.00", PaymentMethod.CASH, "2026-03-03T12:00:00")
    await pay(database, c, "14.90", PaymentMethod.CHEQUE, "2026-03-03T12:05:00")
    await pay(database, d, "50.00", PaymentMethod.BANK_TRANSFER, "2026-03-03T08:00:00")
    await pay(database, e, "19.90", PaymentMethod.CASH, "2026-04-01T00:00:00")
    return shop


async def report(graphql, group_by: str, token: str | None = None, period=MARCH) -> dict:
    variables = {**period, "groupBy": group_by}
    token = token or graphql.token(Role.ADMIN)
    return (await graphql.data(SETTLEMENT_REPORT, variables, token=token))["settlementReport"]


async def test_a_daily_report_has_a_row_per_utc_day_and_currency(graphql, money):
    settled = await report(graphql, "DAY")

    assert [figures(row) for row in settled["rows"]] == [
        ("2026-03-02", "USD", "49.30", "0.00", "49.30", 2, 0),  # 23:30 UTC is still the 2nd
        ("2026-03-03", "EUR", "50.00", "0.00", "50.00", 1, 0),
        ("2026-03-03", "USD", "19.90", "19.90", "0.00", 2, 1),  # the refund on its own day
    ]
    assert [figures(total) for total in settled["totals"]] == [EUR_TOTALS, USD_TOTALS]
    assert settled["rows"][0]["key"]["day"] == "2026-03-02"
    assert (settled["groupBy"], settled["from"]) == ("DAY", "2026-03-01T00:00:00+00:00")


async def test_by_method_each_payment_method_has_its_row(graphql, money):
    settled = await report(graphql, "METHOD")

    assert [figures(row) for row in settled["rows"]] == [
        ("BANK_TRANSFER", "EUR", "50.00", "0.00", "50.00", 1, 0),
        ("BANK_TRANSFER", "USD", "39.80", "19.90", "19.90", 1, 1),
        ("CASH", "USD", "14.50", "0.00", "14.50", 2, 0),
        ("CHEQUE", "USD", "14.90", "0.00", "14.90", 1, 0),
    ]
    assert [row["key"]["method"] for row in settled["rows"]][-1] == "CHEQUE"


async def test_by_channel_the_orders_channel_counts(graphql, money):
    settled = await report(graphql, "CHANNEL")

    assert [figures(row) for row in settled["rows"]] == [
        ("MOBILE", "USD", "19.90", "0.00", "19.90", 2, 0),
        ("WEB", "EUR", "50.00", "0.00", "50.00", 1, 0),
        ("WEB", "USD", "49.30", "19.90", "29.40", 2, 1),
    ]
    assert [figures(total) for total in settled["totals"]] == [EUR_TOTALS, USD_TOTALS]


async def test_by_location_a_pickup_counts_at_its_store_and_a_shipment_where_it_was_allocated(
    graphql, money
):
    settled = await report(graphql, "LOCATION")

    assert [figures(row) for row in settled["rows"]] == [
        ("ST-B", "USD", "9.50", "0.00", "9.50", 1, 0),
        ("WH-A", "EUR", "50.00", "0.00", "50.00", 1, 0),
        ("WH-A", "USD", "59.70", "19.90", "39.80", 3, 1),
    ]
    assert [row["key"]["location"] for row in settled["rows"]] == [
        {"code": "ST-B"},
        {"code": "WH-A"},
        {"code": "WH-A"},
    ]


async def test_pos_tenders_count_at_their_store_under_their_methods(graphql, money):
    # given a till sale at ST-B on 03-15, 19.00 paid 10.00 by card and 10.00 in cash (1.00
    # given back as change)
    terminal = await register(graphql, money.store)
    counter_sale = sale(
        ("MUG", 2, "9.50"),
        paid=(("CARD", "10.00"), ("CASH", "10.00")),
        when="2026-03-15T12:00:00+00:00",
    )
    assert (await sync(graphql, terminal["token"], counter_sale))["accepted"] == 1
    that_day = {"from": "2026-03-15T00:00:00Z", "to": "2026-03-16T00:00:00Z"}

    # when the day is reported by method and by location
    by_method = await report(graphql, "METHOD", period=that_day)
    by_location = await report(graphql, "LOCATION", period=that_day)

    # then each tender is a capture, the cash one of what the till kept
    assert [figures(row) for row in by_method["rows"]] == [
        ("CARD", "USD", "10.00", "0.00", "10.00", 1, 0),
        ("CASH", "USD", "9.00", "0.00", "9.00", 1, 0),
    ]
    assert [figures(row) for row in by_location["rows"]] == [
        ("ST-B", "USD", "19.00", "0.00", "19.00", 2, 0)
    ]


async def test_the_report_is_one_aggregate_over_the_ledger(graphql, money, database):
    with counting_statements(database) as statements:
        await report(graphql, "LOCATION")

    assert len([s for s in statements if "payment_entries" in s]) == 1


async def test_a_clerk_sees_only_the_money_of_its_locations_orders(graphql, money):
    clerk = graphql.token(Role.STAFF, locations=("ST-B",))

    by_method = await report(graphql, "METHOD", token=clerk)
    by_location = await report(graphql, "LOCATION", token=clerk)

    assert [figures(row) for row in by_method["rows"]] == [
        ("CASH", "USD", "9.50", "0.00", "9.50", 1, 0)
    ]
    assert [figures(total) for total in by_location["totals"]] == [
        (None, "USD", "9.50", "0.00", "9.50", 1, 0)
    ]


async def test_customers_may_not_read_settlement(graphql, money):
    customer = graphql.token(Role.CUSTOMER, customer="ada@example.com")

    refused = await graphql.post(SETTLEMENT_REPORT, {**MARCH, "groupBy": "DAY"}, token=customer)

    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_period_that_ends_before_it_starts_is_invalid_input(graphql, money):
    backwards = {"from": MARCH["to"], "to": MARCH["from"], "groupBy": "DAY"}

    refused = await graphql.post(SETTLEMENT_REPORT, backwards, token=graphql.token(Role.ADMIN))

    assert refused["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


async def test_an_empty_period_has_no_rows_and_no_totals(graphql, money):
    january = {"from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00Z"}

    settled = await report(graphql, "CHANNEL", period=january)

    assert (settled["rows"], settled["totals"]) == ([], [])
