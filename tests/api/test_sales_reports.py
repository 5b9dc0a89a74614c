"""Sales insight: sales reports by period, channel, location and product, top products and
inventory turnover, computed in SQL from a known trade (tests/api/sales_reports_documents.py),
and who may read them. Every test runs on SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta

import pytest

from domain.access import Role
from tests.api.conftest import build_shop
from tests.api.sales_reports_documents import (
    MARCH,
    MARCH_AND_APRIL,
    REPORT_NODES,
    SALES_REPORT,
    TOP_PRODUCTS,
    TURNOVER,
    Trade,
    as_admin,
    figures,
    report,
    staff,
)
from tests.api.services_documents import book, create_service, set_capacity, tomorrow
from tests.api.test_query_count import counting_statements

USD_TOTALS = (None, "USD", 5, 34, "600.80", "19.90", "580.90")
EUR_TOTALS = (None, "EUR", 1, 2, "50.00", "0.00", "50.00")


@pytest.fixture
async def trade(database, graphql):
    shop = await build_shop(database, {})
    await Trade(database, graphql, shop).run()
    return shop


# -- by period ----------------------------------------------------------------------------


async def test_a_daily_report_has_a_row_per_utc_day_with_orders_or_returns(graphql, trade):
    sales = await report(graphql, "DAY")

    assert [figures(row) for row in sales["rows"]] == [
        ("2025-03-03", "USD", 1, 3, "49.30", "0.00", "49.30"),
        ("2025-03-05", "EUR", 1, 2, "50.00", "0.00", "50.00"),
        ("2025-03-09", "USD", 1, 3, "59.70", "0.00", "59.70"),  # 23:30 UTC on a Sunday
        ("2025-03-15", "USD", 1, 6, "54.00", "0.00", "54.00"),  # the counter sale
        ("2025-03-20", "USD", 0, 0, "0.00", "19.90", "-19.90"),  # the day the return arrived
        ("2025-04-01", "USD", 1, 10, "199.00", "0.00", "199.00"),  # PENDING counts
        ("2025-04-10", "USD", 1, 12, "238.80", "0.00", "238.80"),  # BACKORDERED counts
    ]
    assert [figures(total) for total in sales["totals"]] == [EUR_TOTALS, USD_TOTALS]
    assert sales["rows"][0]["key"]["periodStart"] == "2025-03-03"
    assert (sales["groupBy"], sales["from"]) == ("DAY", "2025-03-01T00:00:00+00:00")


async def test_weeks_start_on_monday_in_utc(graphql, trade):
    sales = await report(graphql, "WEEK")

    assert [figures(row) for row in sales["rows"]] == [
        ("2025-03-03", "EUR", 1, 2, "50.00", "0.00", "50.00"),
        ("2025-03-03", "USD", 2, 6, "109.00", "0.00", "109.00"),  # Sunday night is in it
        ("2025-03-10", "USD", 1, 6, "54.00", "0.00", "54.00"),
        ("2025-03-17", "USD", 0, 0, "0.00", "19.90", "-19.90"),
        ("2025-03-31", "USD", 1, 10, "199.00", "0.00", "199.00"),
        ("2025-04-07", "USD", 1, 12, "238.80", "0.00", "238.80"),
    ]
    assert [figures(total) for total in sales["totals"]] == [EUR_TOTALS, USD_TOTALS]


async def test_months_start_on_the_first_and_the_end_of_the_period_is_left_out(graphql, trade):
    both = await report(graphql, "MONTH")
    march = await report(graphql, "MONTH", MARCH)

    assert [figures(row) for row in both["rows"]] == [
        ("2025-03-01", "EUR", 1, 2, "50.00", "0.00", "50.00"),
        ("2025-03-01", "USD", 3, 12, "163.00", "19.90", "143.10"),
        ("2025-04-01", "USD", 2, 22, "437.80", "0.00", "437.80"),  # placed at 04-01 00:00
    ]
    assert [figures(row) for row in march["rows"]] == [
        ("2025-03-01", "EUR", 1, 2, "50.00", "0.00", "50.00"),
        ("2025-03-01", "USD", 3, 12, "163.00", "19.90", "143.10"),
    ]


# -- by channel, location and product ----------------------------------------------------


async def test_a_report_by_channel_leaves_cancelled_orders_out(graphql, trade):
    sales = await report(graphql, "CHANNEL")

    assert [figures(row) for row in sales["rows"]] == [
        ("MOBILE", "USD", 1, 3, "59.70", "0.00", "59.70"),
        ("POS", "USD", 1, 6, "54.00", "0.00", "54.00"),
        ("WEB", "EUR", 1, 2, "50.00", "0.00", "50.00"),
        ("WEB", "USD", 2, 13, "248.30", "19.90", "228.40"),
        ("WHOLESALE", "USD", 1, 12, "238.80", "0.00", "238.80"),
    ]
    assert sales["rows"][0]["key"]["channel"] == "MOBILE"
    assert [figures(total) for total in sales["totals"]] == [EUR_TOTALS, USD_TOTALS]


async def test_units_count_where_they_were_allocated_and_split_lines_split(graphql, trade):
    sales = await report(graphql, "LOCATION")

    assert [figures(row) for row in sales["rows"]] == [
        # O1's mug, 2 of O5's ten T-shirts, the counter sale
        ("ST-B", "USD", 3, 9, "103.30", "0.00", "103.30"),
        ("WH-A", "EUR", 1, 2, "50.00", "0.00", "50.00"),
        # the return belongs where its T-shirt was sold from, not where it came back
        ("WH-A", "USD", 4, 20, "398.00", "19.90", "378.10"),
        ("(unallocated)", "USD", 1, 5, "99.50", "0.00", "99.50"),  # backordered units
    ]
    assert sales["rows"][-1]["key"]["locationCode"] is None
    # an order in two rows is one order in the totals
    assert [figures(total) for total in sales["totals"]] == [EUR_TOTALS, USD_TOTALS]


async def test_a_report_by_product_sums_its_variants(graphql, trade):
    sales = await report(graphql, "PRODUCT")

    assert [figures(row) for row in sales["rows"]] == [
        ("Mug", "USD", 2, 7, "63.50", "0.00", "63.50"),
        ("Scarf", "EUR", 1, 2, "50.00", "0.00", "50.00"),
        ("T-shirt", "USD", 4, 27, "537.30", "19.90", "517.40"),
    ]
    assert [figures(total) for total in sales["totals"]] == [EUR_TOTALS, USD_TOTALS]


async def test_keys_lead_to_their_locations_and_products_in_a_fixed_number_of_queries(
    graphql, trade, database
):
    with counting_statements(database) as statements:
        by_location = await graphql.admin(REPORT_NODES, {**MARCH, "groupBy": "LOCATION"})
    by_product = await graphql.admin(REPORT_NODES, {**MARCH, "groupBy": "PRODUCT"})

    keys = [row["key"] for row in by_location["salesReport"]["rows"]]
    assert [(key["label"], key["location"]) for key in keys] == [
        ("ST-B", {"code": "ST-B", "kind": "STORE"}),
        ("WH-A", {"code": "WH-A", "kind": "WAREHOUSE"}),
        ("WH-A", {"code": "WH-A", "kind": "WAREHOUSE"}),
    ]
    assert len(statements) <= 4  # sales, returns, location codes, the location loader
    products = [row["key"]["product"] for row in by_product["salesReport"]["rows"]]
    assert products == [{"name": "Mug"}, {"name": "Scarf"}, {"name": "T-shirt"}]


async def test_a_currency_narrows_the_report_to_orders_in_it(graphql, trade):
    sales = await report(graphql, "CHANNEL", currency=" eur ")

    assert [figures(row) for row in sales["rows"]] == [
        ("WEB", "EUR", 1, 2, "50.00", "0.00", "50.00")
    ]
    assert [figures(total) for total in sales["totals"]] == [EUR_TOTALS]


async def test_a_booked_service_is_sold_where_it_is_performed(graphql, shop):
    now = datetime.now(UTC)
    period = {
        "from": (now - timedelta(hours=1)).isoformat(),
        "to": (now + timedelta(hours=1)).isoformat(),
    }
    await create_service(graphql, "CUT", "30.00")
    await set_capacity(graphql, shop.store, 2)
    booked = await book(graphql, shop.store, tomorrow(10))  # an order placed now
    assert booked["userErrors"] == []

    everywhere = await report(graphql, "LOCATION", period)
    at_the_store = await graphql.data(
        SALES_REPORT, {**period, "groupBy": "CHANNEL"}, token=staff(graphql, "ST-B")
    )
    elsewhere = await graphql.data(
        SALES_REPORT, {**period, "groupBy": "CHANNEL"}, token=staff(graphql, "WH-A")
    )

    assert [figures(row) for row in everywhere["rows"]] == [
        ("ST-B", "USD", 1, 1, "30.00", "0.00", "30.00")  # BOOKED: booked revenue
    ]
    assert [figures(row) for row in at_the_store["salesReport"]["rows"]] == [
        ("WEB", "USD", 1, 1, "30.00", "0.00", "30.00")
    ]
    assert elsewhere["salesReport"]["rows"] == []


# -- who sees what ---------------------------------------------------------------------------


async def test_a_clerk_bound_to_a_store_sees_only_what_was_allocated_there(graphql, trade):
    variables = {**MARCH_AND_APRIL, "groupBy": "DAY"}
    sales = await graphql.data(SALES_REPORT, variables, token=staff(graphql, "ST-B"))

    rows = sales["salesReport"]["rows"]
    assert [figures(row) for row in rows] == [
        ("2025-03-03", "USD", 1, 1, "9.50", "0.00", "9.50"),
        ("2025-03-15", "USD", 1, 6, "54.00", "0.00", "54.00"),
        ("2025-04-01", "USD", 1, 2, "39.80", "0.00", "39.80"),
    ]
    assert [figures(total) for total in sales["salesReport"]["totals"]] == [
        (None, "USD", 3, 9, "103.30", "0.00", "103.30")
    ]


@pytest.mark.parametrize("role", [Role.CUSTOMER, Role.POS, None])
async def test_only_staff_and_admins_read_sales_figures(graphql, trade, role):
    token = graphql.token(role, customer="ada@example.com", locations=("ST-B",)) if role else None
    for document, variables in [
        (SALES_REPORT, {**MARCH, "groupBy": "DAY"}),
        (TOP_PRODUCTS, MARCH),
        (TURNOVER, MARCH),
    ]:
        body = await graphql.post(document, variables, token=token)

        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


# -- top products ----------------------------------------------------------------------------


async def test_top_products_rank_by_revenue_or_by_units_within_each_currency(graphql, trade):
    first_half = {"from": "2025-03-01T00:00:00Z", "to": "2025-03-16T00:00:00Z"}

    by_revenue = await graphql.admin(TOP_PRODUCTS, first_half)
    by_units = await graphql.admin(TOP_PRODUCTS, {**first_half, "by": "UNITS", "currency": "USD"})
    best = await graphql.admin(TOP_PRODUCTS, {**first_half, "first": 1, "currency": "USD"})

    def ranking(data):
        return [
            (
                p["rank"],
                p["productName"],
                p["currency"],
                p["orders"],
                p["units"],
                p["revenue"]["amount"],
            )
            for p in data["topProducts"]
        ]

    assert ranking(by_revenue) == [
        (1, "Scarf", "EUR", 1, 2, "50.00"),
        (1, "T-shirt", "USD", 2, 5, "99.50"),
        (2, "Mug", "USD", 2, 7, "63.50"),
    ]
    assert ranking(by_units) == [
        (1, "Mug", "USD", 2, 7, "63.50"),
        (2, "T-shirt", "USD", 2, 5, "99.50"),
    ]
    assert ranking(best) == [(1, "T-shirt", "USD", 2, 5, "99.50")]
    assert best["topProducts"][0]["product"] == {"name": "T-shirt"}


# -- inventory turnover ----------------------------------------------------------------------


def turnover(data):
    return [
        (
            row["sku"],
            row["unitsSold"],
            row["openingOnHand"],
            row["closingOnHand"],
            row["averageOnHand"],
            row["onHand"],
            row["available"],
            row["turnover"],
            row["daysOfCover"],
        )
        for row in data["inventoryTurnover"]
    ]


async def test_turnover_at_a_store_counts_its_sales_and_its_stock_then_and_now(graphql, trade):
    data = await graphql.admin(TURNOVER, {**MARCH, "locationCode": "st-b"})

    assert turnover(data) == [
        # 7 sold (1 shipped, 6 at the counter); 10 on hand on 03-01, 3 on 04-01 and now;
        # 7 / 6.5 = 1.08; 3 available last 3 / (7 / 31 days) = 13.29 days
        ("MUG", 7, 10, 3, "6.5", 3, 3, "1.08", "13.29"),
        # none sold: 5 then, 6 after the return, 2 of them reserved since April
        ("TEE-S", 0, 5, 6, "5.5", 6, 4, "0.00", None),
    ]
    assert data["inventoryTurnover"][0]["location"] == {"code": "ST-B"}
    assert data["inventoryTurnover"][0]["variant"] == {"sku": "MUG"}


async def test_turnover_sums_every_location_when_none_is_named(graphql, trade):
    data = await graphql.admin(TURNOVER, MARCH)
    top_two = await graphql.admin(TURNOVER, {**MARCH, "first": 2})

    assert turnover(data) == [
        ("MUG", 7, 10, 3, "6.5", 3, 3, "1.08", "13.29"),
        ("TEE-M", 3, 10, 7, "8.5", 7, 0, "0.35", "0.00"),  # nothing left to sell
        ("TEE-S", 2, 15, 14, "14.5", 14, 4, "0.14", "62.00"),
        ("SCARF", 0, 5, 5, "5.0", 5, 3, "0.00", None),
    ]
    assert data["inventoryTurnover"][0]["location"] is None
    assert [row[0] for row in turnover(top_two)] == ["MUG", "TEE-M"]


async def test_a_clerk_reads_turnover_at_its_own_locations_only(graphql, trade):
    token = staff(graphql, "ST-B")

    own = await graphql.data(TURNOVER, MARCH, token=token)
    elsewhere = await graphql.post(TURNOVER, {**MARCH, "locationCode": "WH-A"}, token=token)
    unknown = await as_admin(graphql, TURNOVER, {**MARCH, "locationCode": "NOWHERE"})

    assert [row[0] for row in turnover(own)] == ["MUG", "TEE-S"]
    assert elsewhere["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert unknown["errors"][0]["extensions"]["code"] == "NOT_FOUND"


# -- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variables", "code", "message"),
    [
        ({"from": "2025-03-02T00:00:00Z", "to": "2025-03-01T00:00:00Z"}, "INVALID_INPUT", "before"),
        ({"from": "2025-03-01T00:00:00Z", "to": "2025-03-01T00:00:00Z"}, "INVALID_INPUT", "before"),
        (
            {"from": "2024-01-01T00:00:00Z", "to": "2025-03-01T00:00:00Z"},
            "INVALID_INPUT",
            "400 days",
        ),
        (
            {"from": "2025-03-01T00:00:00", "to": "2025-04-01T00:00:00Z"},
            "INVALID_INPUT",
            "UTC offset",
        ),
        ({**MARCH, "currency": "dollars"}, "INVALID_INPUT", "ISO 4217"),
    ],
)
async def test_a_period_out_of_bounds_is_refused_with_a_clear_error(
    graphql, variables, code, message
):
    body = await as_admin(graphql, SALES_REPORT, {"groupBy": "DAY", **variables})

    assert body["errors"][0]["extensions"]["code"] == code
    assert message in body["errors"][0]["message"]


async def test_a_long_period_is_fine_by_month_and_first_is_bounded(graphql, shop):
    long = {"from": "2020-01-01T00:00:00Z", "to": "2025-01-01T00:00:00Z"}

    by_month = await graphql.admin(SALES_REPORT, {**long, "groupBy": "MONTH"})
    too_many = await as_admin(graphql, TOP_PRODUCTS, {**MARCH, "first": 101})
    none = await as_admin(graphql, TURNOVER, {**MARCH, "first": 0})

    assert by_month["salesReport"] == {
        "groupBy": "MONTH",
        "from": "2020-01-01T00:00:00+00:00",
        "to": "2025-01-01T00:00:00+00:00",
        "rows": [],
        "totals": [],
    }
    assert "first must be between 1 and 100" in too_many["errors"][0]["message"]
    assert "first must be between 1 and 100" in none["errors"][0]["message"]
