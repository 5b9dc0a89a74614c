"""One customer across channels: its orders from every channel, what it has spent, when it
last ordered; each as far as the caller may see its orders."""

from domain.access import Role
from tests.api.orders_documents import change, pickup_order, place, shipping_order
from tests.api.test_query_count import counting_statements

CUSTOMER = """
query($id: ID!) { customer(id: $id) {
  email orderCount lastOrderAt lifetimeValue { amount currency }
  orders(first: 10) { totalCount edges { node { number channel status } } }
} }"""
CUSTOMERS = """
{ customers(first: 10) { edges { node { id email orderCount lifetimeValue { amount } } } } }"""


async def customer_id(graphql, email):
    listed = await graphql.admin(CUSTOMERS)
    return next(
        e["node"]["id"] for e in listed["customers"]["edges"] if e["node"]["email"] == email
    )


async def test_a_customer_shows_its_orders_from_every_channel_and_what_it_spent(graphql, shop):
    web = (await place(graphql, shipping_order(("TEE-S", 2), customerEmail=shop.customer)))["order"]
    pos = (
        await place(
            graphql,
            pickup_order(shop.store, ("MUG", 1), channel="POS", customerEmail=shop.customer),
        )
    )["order"]
    cancelled = (await place(graphql, shipping_order(("TEE-M", 1), customerEmail=shop.customer)))[
        "order"
    ]
    await change(graphql, "cancelOrder", cancelled["id"])
    await place(graphql, shipping_order(("TEE-M", 1), customerEmail=shop.other_customer))

    data = await graphql.admin(CUSTOMER, {"id": await customer_id(graphql, shop.customer)})

    customer = data["customer"]
    assert customer["orderCount"] == 2
    assert customer["lifetimeValue"] == [{"amount": "49.30", "currency": "USD"}]
    assert customer["lastOrderAt"] is not None
    numbers = [(e["node"]["number"], e["node"]["channel"]) for e in customer["orders"]["edges"]]
    assert numbers == [
        (cancelled["number"], "WEB"),
        (pos["number"], "POS"),
        (web["number"], "WEB"),
    ]


async def test_a_customer_sees_its_own_history_but_not_anothers(graphql, shop):
    await place(graphql, shipping_order(("TEE-S", 1), customerEmail=shop.customer))
    ada_id = await customer_id(graphql, shop.customer)
    bob_id = await customer_id(graphql, shop.other_customer)
    ada = graphql.token(Role.CUSTOMER, customer=shop.customer)

    own = await graphql.data(CUSTOMER, {"id": ada_id}, token=ada)
    other = await graphql.data(CUSTOMER, {"id": bob_id}, token=ada)

    assert own["customer"]["orders"]["totalCount"] == 1
    assert other["customer"] is None


async def test_staff_bound_to_locations_total_only_the_orders_they_may_see(graphql, shop):
    await place(graphql, pickup_order(shop.store, ("MUG", 1), customerEmail=shop.customer))
    await place(graphql, shipping_order(("TEE-M", 2), customerEmail=shop.customer))  # from WH-A
    ada_id = await customer_id(graphql, shop.customer)
    callers = {
        "admin": graphql.token(Role.ADMIN),
        "store": graphql.token(Role.STAFF, locations=(shop.store,)),
        "warehouse": graphql.token(Role.STAFF, locations=(shop.warehouse,)),
        "elsewhere": graphql.token(Role.STAFF, locations=(shop.other_store,)),
        "store till": graphql.token(Role.POS, locations=(shop.store,)),
    }

    seen = {
        name: (await graphql.data(CUSTOMER, {"id": ada_id}, token=token))["customer"]
        for name, token in callers.items()
    }

    totals = {
        name: (
            customer["orderCount"],
            [money["amount"] for money in customer["lifetimeValue"]],
            customer["lastOrderAt"] is not None,
            customer["orders"]["totalCount"],
        )
        for name, customer in seen.items()
    }
    assert totals == {
        "admin": (2, ["49.30"], True, 2),
        "store": (1, ["9.50"], True, 1),
        "warehouse": (1, ["39.80"], True, 1),
        "elsewhere": (0, [], False, 0),
        "store till": (1, ["9.50"], True, 1),
    }


async def test_a_list_of_customers_with_their_totals_costs_a_fixed_number_of_statements(
    graphql, shop, database
):
    for email in (shop.customer, shop.other_customer):
        await place(graphql, shipping_order(("TEE-S", 1), customerEmail=email))
    with counting_statements(database) as statements:
        listed = await graphql.admin(CUSTOMERS)
    assert [e["node"]["orderCount"] for e in listed["customers"]["edges"]] == [1, 1]
    assert len(statements) == 2  # the page, then one batch of order totals


ADD_ADDRESS = """
mutation($input: AddCustomerAddressInput!) { addCustomerAddress(input: $input) {
  customer { addresses { label address { line1 city country } } }
  userErrors { field code } } }"""
HOME = {"line1": "1 Main Street", "city": "Springfield", "postalCode": "62701", "country": "US"}
OFFICE = {"line1": "9 Dock Road", "city": "Leeds", "postalCode": "LS1 4AP", "country": "GB"}
ADD_NOTE = """
mutation($input: AddCustomerNoteInput!) { addCustomerNote(input: $input) {
  customer { notes { note author } } userErrors { field code } } }"""
NOTES = "query($id: ID!) { customer(id: $id) { notes { note } } }"


async def test_a_customer_keeps_several_addresses_and_adds_its_own(graphql, shop):
    ada_id = await customer_id(graphql, shop.customer)
    bob_id = await customer_id(graphql, shop.other_customer)
    ada = graphql.token(Role.CUSTOMER, customer=shop.customer)

    await graphql.admin(
        ADD_ADDRESS, {"input": {"customerId": ada_id, "label": "Home", "address": HOME}}
    )
    own = await graphql.data(
        ADD_ADDRESS,
        {"input": {"customerId": ada_id, "label": "Office", "address": OFFICE}},
        token=ada,
    )
    other = await graphql.data(
        ADD_ADDRESS,
        {"input": {"customerId": bob_id, "label": "Home", "address": HOME}},
        token=ada,
    )
    blank = await graphql.admin(
        ADD_ADDRESS, {"input": {"customerId": ada_id, "label": " ", "address": HOME}}
    )

    assert own["addCustomerAddress"]["customer"]["addresses"] == [
        {
            "label": "Home",
            "address": {"line1": "1 Main Street", "city": "Springfield", "country": "US"},
        },
        {"label": "Office", "address": {"line1": "9 Dock Road", "city": "Leeds", "country": "GB"}},
    ]
    assert other["addCustomerAddress"]["userErrors"][0]["code"] == "NOT_FOUND"
    assert blank["addCustomerAddress"]["userErrors"][0] == {
        "field": ["input", "label"],
        "code": "INVALID_INPUT",
    }


async def test_service_notes_are_for_staff_only(graphql, shop):
    ada_id = await customer_id(graphql, shop.customer)
    ada = graphql.token(Role.CUSTOMER, customer=shop.customer)
    clerk = graphql.token(Role.STAFF, subject="kim")

    kept = await graphql.data(
        ADD_NOTE, {"input": {"customerId": ada_id, "note": "Prefers pickup"}}, token=clerk
    )
    by_customer = await graphql.data(
        ADD_NOTE, {"input": {"customerId": ada_id, "note": "hi"}}, token=ada
    )
    read_by_customer = await graphql.post(NOTES, {"id": ada_id}, token=ada)

    assert kept["addCustomerNote"]["customer"]["notes"] == [
        {"note": "Prefers pickup", "author": "kim"}
    ]
    assert by_customer["addCustomerNote"]["userErrors"][0]["code"] == "FORBIDDEN"
    assert read_by_customer["errors"][0]["extensions"]["code"] == "FORBIDDEN"
