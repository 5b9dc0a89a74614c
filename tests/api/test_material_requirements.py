"""Material requirements: what a location must make or buy for its planned work orders and
backordered sales, and the purchase orders made from the suggestions. Every test runs on
SQLite and PostgreSQL."""

from datetime import timedelta

import pytest

from domain.access import Role
from tests.api import manufacturing_documents as making
from tests.api import purchasing_documents as purchasing
from tests.api.manufacturing_documents import TODAY, create, due_in, step, table_and_leg_boms
from tests.api.orders_documents import place
from tests.api.test_query_count import counting_statements
from tests.api.transfers_documents import codes
from tests.api.wholesale_documents import join_trade_group, wholesale_order

# The workshop (tests/api/manufacturing_documents.py): WH-A holds LEG 10, TOP 3, SCREW 40
# and DOWEL 20; a TABLE is 4 LEG + 1 TOP + 8 SCREW, a LEG is 2 DOWEL. ACME (5 days) sells
# TOP, SCREW and DOWEL; BOLT (2 days) sells SCREW cheaper.

REQUIREMENTS = """
query($location: String!, $horizon: Int!) {
  materialRequirements(locationCode: $location, horizonDays: $horizon) {
    sku required available incoming inProduction shortage neededOn manufactured
    unitCost { amount currency } leadTimeDays orderBy late
    variant { sku } suggestedSupplier { code }
  }
}"""
FROM_SUGGESTIONS = """
mutation($input: CreatePurchaseOrdersFromSuggestionsInput!) {
  createPurchaseOrdersFromSuggestions(input: $input) {
    purchaseOrders { id number status supplier { code } location { code } expectedAt
                     lines { sku quantity unitCost { amount currency } }
                     history { toStatus note } }
    userErrors { field code message }
  }
}"""
PURCHASE_ORDER_COUNT = "{ purchaseOrders { totalCount } }"


@pytest.fixture
async def workshop(graphql, database, shop):
    await making.build_workshop(database)
    await table_and_leg_boms(graphql)
    for code, lead_time_days in (("ACME", 5), ("BOLT", 2)):
        assert (await purchasing.create_supplier(graphql, code, lead_time_days))["userErrors"] == []
    await purchasing.set_supplier_prices(
        graphql,
        {"sku": "TOP", "unitCost": "80.00"},
        {"sku": "SCREW", "unitCost": "0.10"},
        {"sku": "DOWEL", "unitCost": "0.50"},
        code="ACME",
    )
    await purchasing.set_supplier_prices(graphql, {"sku": "SCREW", "unitCost": "0.09"}, code="BOLT")
    return shop


async def requirements(graphql, location="WH-A", horizon=30, token=None) -> dict[str, dict]:
    data = await graphql.data(
        REQUIREMENTS,
        {"location": location, "horizon": horizon},
        token=graphql.token(Role.ADMIN) if token is None else token,
    )
    return {r["sku"]: r for r in data["materialRequirements"]}


def figures(requirement: dict) -> tuple:
    keys = ("required", "available", "incoming", "inProduction", "shortage")
    return tuple(requirement[key] for key in keys)


async def from_suggestions(graphql, *triples, location="WH-A", token=None) -> dict:
    suggestions = [
        {"sku": sku, "quantity": quantity, "supplierCode": supplier}
        for sku, quantity, supplier in triples
    ]
    data = await graphql.data(
        FROM_SUGGESTIONS,
        {"input": {"locationCode": location, "suggestions": suggestions}},
        token=graphql.token(Role.ADMIN) if token is None else token,
    )
    return data["createPurchaseOrdersFromSuggestions"]


# -- planning ----------------------------------------------------------------------------


async def test_a_planned_work_order_is_exploded_and_netted_level_by_level(graphql, workshop):
    # 7 tables: 28 LEG (10 there: make 18 from 36 DOWEL, 20 there), 7 TOP, 56 SCREW
    await create(graphql, quantity=7, due=due_in(10))

    short = await requirements(graphql)

    assert list(short) == ["DOWEL", "LEG", "SCREW", "TOP"]
    assert figures(short["LEG"]) == (28, 10, 0, 0, 18)
    assert (short["LEG"]["manufactured"], short["LEG"]["suggestedSupplier"]) == (True, None)
    assert figures(short["DOWEL"]) == (36, 20, 0, 0, 16)
    assert figures(short["SCREW"]) == (56, 40, 0, 0, 16)
    assert figures(short["TOP"]) == (7, 3, 0, 0, 4)
    assert {r["neededOn"] for r in short.values()} == {due_in(10)}
    screw = short["SCREW"]
    assert (screw["suggestedSupplier"], screw["unitCost"], screw["leadTimeDays"]) == (
        {"code": "BOLT"},
        {"amount": "0.09", "currency": "USD"},
        2,
    )
    assert (screw["orderBy"], screw["late"]) == (due_in(8), False)
    assert (short["TOP"]["suggestedSupplier"], short["TOP"]["orderBy"]) == (
        {"code": "ACME"},
        due_in(5),
    )


async def test_units_incoming_from_suppliers_cover_a_shortage(graphql, workshop):
    await create(graphql, quantity=7, due=due_in(10))
    await purchasing.ordered(graphql, ("TOP", 3, "80.00"))

    short = await requirements(graphql)

    assert figures(short["TOP"]) == (7, 3, 3, 0, 1)


async def test_released_work_orders_hold_their_components_and_need_nothing_more(graphql, workshop):
    released = (await create(graphql, quantity=2))["workOrder"]
    assert (await step(graphql, "releaseWorkOrder", released["id"]))["userErrors"] == []
    await create(graphql, quantity=1)

    short = await requirements(graphql)

    # 2 LEG left available for the planned table's 4; 2 more made from 4 DOWEL (20 there)
    assert list(short) == ["LEG"]
    assert figures(short["LEG"]) == (4, 2, 0, 0, 2)


async def test_a_backordered_sale_of_a_manufactured_variant_is_needed_today(graphql, workshop):
    await join_trade_group(graphql, "ada@example.com")
    order = await place(
        graphql,
        wholesale_order(("TABLE", 4), customerEmail="ada@example.com", allowBackorder=True),
    )
    assert order["order"]["status"] == "BACKORDERED"
    await create(graphql, quantity=1, due=due_in(3))

    short = await requirements(graphql)

    # 4 tables ordered, 1 in production: make 3 more, and the planned one needs 4 LEG
    assert figures(short["TABLE"]) == (4, 0, 0, 1, 3)
    assert (short["TABLE"]["neededOn"], short["TABLE"]["manufactured"]) == (
        TODAY.isoformat(),
        True,
    )
    assert figures(short["LEG"]) == (16, 10, 0, 0, 6)
    assert short["LEG"]["neededOn"] == TODAY.isoformat()


async def test_only_work_orders_due_within_the_horizon_count(graphql, workshop):
    await create(graphql, quantity=7, due=due_in(40))
    await create(graphql, quantity=3, due=due_in(-2))  # overdue: always counts

    assert figures((await requirements(graphql, horizon=30))["LEG"]) == (12, 10, 0, 0, 2)
    assert figures((await requirements(graphql, horizon=40))["LEG"]) == (40, 10, 0, 0, 30)
    assert (await requirements(graphql, location="ST-B")) == {}


async def test_an_order_by_day_already_past_is_late(graphql, workshop):
    await create(graphql, quantity=6, due=due_in(1))

    top = (await requirements(graphql))["TOP"]

    assert (top["orderBy"], top["late"]) == ((TODAY - timedelta(days=4)).isoformat(), True)


@pytest.mark.parametrize(
    ("who", "location", "horizon", "code"),
    [
        ("elsewhere", "WH-A", 30, "FORBIDDEN"),
        ("pos", "WH-A", 30, "FORBIDDEN"),
        ("customer", "WH-A", 30, "FORBIDDEN"),
        ("anonymous", "WH-A", 30, "FORBIDDEN"),
        ("admin", "WH-Z", 30, "NOT_FOUND"),
        ("admin", "WH-A", -1, "INVALID_INPUT"),
        ("admin", "WH-A", 3651, "INVALID_INPUT"),
    ],
)
async def test_a_plan_that_may_not_be_made_is_an_error(
    graphql, workshop, who, location, horizon, code
):
    tokens = {
        "elsewhere": graphql.token(Role.STAFF, locations=("ST-B",)),
        "pos": graphql.token(Role.POS, locations=("WH-A",)),
        "customer": graphql.token(Role.CUSTOMER, customer="ada@example.com"),
        "anonymous": "",
        "admin": graphql.token(Role.ADMIN),
    }

    body = await graphql.post(
        REQUIREMENTS, {"location": location, "horizon": horizon}, token=tokens[who]
    )

    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == code


async def test_staff_plan_the_location_they_work_at(graphql, workshop):
    await create(graphql, quantity=7)
    clerk = graphql.token(Role.STAFF, locations=("WH-A",))

    assert list(await requirements(graphql, token=clerk)) == ["DOWEL", "LEG", "SCREW", "TOP"]


async def test_a_plan_costs_a_fixed_number_of_statements(graphql, database, workshop):
    await create(graphql, quantity=7)
    await create(graphql, "LEG", 5)

    with counting_statements(database) as statements:
        short = await requirements(graphql)

    assert len(short) == 4
    # location, work orders, components, backorders, 2 BOM levels, levels, prices;
    # then variants and suppliers
    assert len(statements) <= 10


# -- purchase orders from suggestions ----------------------------------------------------


async def test_chosen_suggestions_become_one_draft_purchase_order_per_supplier(graphql, workshop):
    await create(graphql, quantity=7, due=due_in(10))

    payload = await from_suggestions(
        graphql, ("SCREW", 16, "BOLT"), ("DOWEL", 16, "ACME"), ("TOP", 4, "acme")
    )

    assert payload["userErrors"] == []
    bolt, acme = payload["purchaseOrders"]
    assert (bolt["status"], bolt["supplier"], bolt["location"]) == (
        "DRAFT",
        {"code": "BOLT"},
        {"code": "WH-A"},
    )
    assert bolt["lines"] == [
        {"sku": "SCREW", "quantity": 16, "unitCost": {"amount": "0.09", "currency": "USD"}}
    ]
    assert [
        (line["sku"], line["quantity"], line["unitCost"]["amount"]) for line in acme["lines"]
    ] == [
        ("DOWEL", 16, "0.50"),
        ("TOP", 4, "80.00"),
    ]
    assert acme["history"] == [{"toStatus": "DRAFT", "note": "from material requirements"}]
    assert bolt["expectedAt"][:10] == due_in(2)

    for order in (bolt, acme):
        assert (await purchasing.submit(graphql, order["id"]))["userErrors"] == []
    assert list(await requirements(graphql)) == ["LEG"]


@pytest.mark.parametrize(
    ("triples", "code", "field"),
    [
        ([("SCREW", 5, "ACME"), ("LEG", 5, "ACME")], "INVALID_INPUT", "suggestions.1.supplierCode"),
        ([("SCREW", 5, "ACME"), ("SCREW", 5, "NOPE")], "NOT_FOUND", "suggestions.1.supplierCode"),
        ([("SCREW", 5, "ACME"), ("NOPE", 5, "ACME")], "NOT_FOUND", "suggestions.1.sku"),
        ([("SCREW", 5, "ACME"), ("screw", 1, "ACME")], "INVALID_INPUT", "suggestions.1.sku"),
        ([("SCREW", 0, "ACME")], "INVALID_INPUT", "suggestions.0.quantity"),
        ([], "INVALID_INPUT", "suggestions"),
    ],
    ids=["no-price", "no-supplier", "no-sku", "twice", "zero", "none"],
)
async def test_suggestions_that_break_a_rule_create_no_purchase_order(
    graphql, workshop, triples, code, field
):
    payload = await from_suggestions(graphql, *triples)

    assert payload["purchaseOrders"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
        (code, ["input", *field.split(".")])
    ]
    assert (await graphql.admin(PURCHASE_ORDER_COUNT))["purchaseOrders"]["totalCount"] == 0


async def test_the_same_sku_may_be_split_between_suppliers(graphql, workshop):
    payload = await from_suggestions(graphql, ("SCREW", 10, "ACME"), ("SCREW", 6, "BOLT"))

    assert [o["supplier"]["code"] for o in payload["purchaseOrders"]] == ["ACME", "BOLT"]


@pytest.mark.parametrize("who", ["elsewhere", "pos", "customer"])
async def test_only_admins_and_staff_there_buy_from_suggestions(graphql, workshop, who):
    token = {
        "elsewhere": graphql.token(Role.STAFF, locations=("ST-B",)),
        "pos": graphql.token(Role.POS, locations=("WH-A",)),
        "customer": graphql.token(Role.CUSTOMER, customer="ada@example.com"),
    }[who]

    payload = await from_suggestions(graphql, ("SCREW", 5, "ACME"), token=token)

    assert codes(payload) == ["FORBIDDEN"]
