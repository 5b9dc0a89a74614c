"""Who sees and changes what: customers, store staff, POS terminals, anonymous callers."""

from domain.access import Role
from tests.api.orders_documents import ORDER, ORDERS, change, pickup_order, place, shipping_order

ME = "{ me { role subject locationCodes customer { email } } }"
CUSTOMERS = "{ customers(first: 10) { totalCount edges { node { email } } } }"
CREATE_CUSTOMER = """
mutation($input: CreateCustomerInput!) {
  createCustomer(input: $input) { customer { email name phone } userErrors { code field } }
}"""


async def test_me_describes_the_token(graphql, shop):
    token = graphql.token(Role.CUSTOMER, customer=shop.customer)
    data = await graphql.data(ME, token=token)
    assert data["me"] == {
        "role": "CUSTOMER",
        "subject": shop.customer,
        "locationCodes": [],
        "customer": {"email": shop.customer},
    }


async def test_a_customer_orders_for_itself_and_sees_only_its_own_orders(graphql, shop):
    ada = graphql.token(Role.CUSTOMER, customer=shop.customer)
    bob = graphql.token(Role.CUSTOMER, customer=shop.other_customer)
    own = (await place(graphql, shipping_order(("TEE-S", 1)), token=ada))["order"]
    other = (await place(graphql, shipping_order(("MUG", 1)), token=bob))["order"]
    assert own["customer"]["email"] == shop.customer
    listed = await graphql.data(ORDERS, token=ada)
    assert [e["node"]["number"] for e in listed["orders"]["edges"]] == [own["number"]]
    assert (await graphql.data(ORDER, {"id": other["id"]}, token=ada))["order"] is None
    node = await graphql.data(
        "query($id: ID!) { node(id: $id) { id } }", {"id": other["id"]}, token=ada
    )
    assert node["node"] is None


async def test_a_customer_cannot_order_for_someone_else(graphql, shop):
    ada = graphql.token(Role.CUSTOMER, customer=shop.customer)
    payload = await place(
        graphql, shipping_order(("TEE-S", 1), customerEmail=shop.other_customer), token=ada
    )
    assert payload["userErrors"][0]["code"] == "FORBIDDEN"


async def test_a_customer_cancels_its_own_pending_order_but_cannot_confirm(graphql, shop):
    ada = graphql.token(Role.CUSTOMER, customer=shop.customer)
    order = (await place(graphql, shipping_order(("TEE-S", 1)), token=ada))["order"]
    confirm = await change(graphql, "confirmOrder", order["id"], token=ada)
    cancel = await change(graphql, "cancelOrder", order["id"], token=ada)
    assert confirm["userErrors"][0]["code"] == "FORBIDDEN"
    assert cancel["order"]["status"] == "CANCELLED"


async def test_another_customers_order_is_not_found_not_forbidden(graphql, shop):
    bob = graphql.token(Role.CUSTOMER, customer=shop.other_customer)
    order = (await place(graphql, shipping_order(("TEE-S", 1), customerEmail=shop.customer)))[
        "order"
    ]
    payload = await change(graphql, "cancelOrder", order["id"], token=bob)
    assert payload["userErrors"][0]["code"] == "NOT_FOUND"


async def test_store_staff_see_and_change_only_orders_at_their_store(graphql, shop):
    at_store = (await place(graphql, pickup_order(shop.store, ("MUG", 1))))["order"]
    at_warehouse = (await place(graphql, shipping_order(("TEE-M", 1))))["order"]
    clerk = graphql.token(Role.STAFF, locations=(shop.store,))
    listed = await graphql.data(ORDERS, token=clerk)
    assert [e["node"]["number"] for e in listed["orders"]["edges"]] == [at_store["number"]]
    mine = await change(graphql, "confirmOrder", at_store["id"], token=clerk)
    theirs = await change(graphql, "confirmOrder", at_warehouse["id"], token=clerk)
    assert mine["order"]["status"] == "CONFIRMED"
    assert theirs["userErrors"][0]["code"] == "NOT_FOUND"


async def test_a_pos_terminal_works_at_its_store(graphql, shop):
    terminal = graphql.token(Role.POS, locations=(shop.store,))
    order = (await place(graphql, pickup_order(shop.store, ("MUG", 1)), token=terminal))["order"]
    for step in ("confirmOrder", "markOrderReadyForPickup", "completeOrder"):
        assert (await change(graphql, step, order["id"], token=terminal))["userErrors"] == []


async def test_anonymous_callers_read_the_catalog_and_nothing_else(graphql, shop):
    orders = await graphql.post(ORDERS)
    customers = await graphql.post(CUSTOMERS)
    placed = await place(graphql, shipping_order(("TEE-S", 1)), token="")
    assert orders["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert customers["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert placed["userErrors"][0]["code"] == "FORBIDDEN"


async def test_staff_create_customers_and_emails_are_unique(graphql, shop):
    clerk = graphql.token(Role.STAFF)
    created = await graphql.data(
        CREATE_CUSTOMER,
        {"input": {"email": "New@Example.com", "name": "New", "phone": "+1 202 555 0100"}},
        token=clerk,
    )
    again = await graphql.data(
        CREATE_CUSTOMER, {"input": {"email": "new@example.com", "name": "Again"}}, token=clerk
    )
    bad = await graphql.data(
        CREATE_CUSTOMER, {"input": {"email": "not-an-email", "name": "X"}}, token=clerk
    )
    assert created["createCustomer"]["customer"]["email"] == "new@example.com"
    assert again["createCustomer"]["userErrors"][0]["code"] == "DUPLICATE"
    assert bad["createCustomer"]["userErrors"][0] == {
        "code": "INVALID_INPUT",
        "field": ["input", "email"],
    }
    listed = await graphql.data(CUSTOMERS, token=clerk)
    assert listed["customers"]["totalCount"] == 3
