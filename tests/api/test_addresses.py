"""Structured postal addresses: on orders as a snapshot, and in customers' address books."""

import pytest

from domain.access import Role
from tests.api.orders_documents import level, place, shipping_order
from tests.api.test_customer_history import customer_id

ADDRESS_FIELDS = """
  name company line1 line2 city postalCode region country countryName phone formatted
"""
ORDER_ADDRESS = f"query($id: ID!) {{ order(id: $id) {{ shippingAddress {{ {ADDRESS_FIELDS} }} }} }}"
ADD_ADDRESS = f"""
mutation($input: AddCustomerAddressInput!) {{ addCustomerAddress(input: $input) {{
  customer {{ addresses {{ label address {{ {ADDRESS_FIELDS} }} }} }}
  userErrors {{ field code message }} }} }}"""
ORDERS_COUNT = "{ orders(first: 1) { totalCount } }"
ILLINOIS = {
    "name": "Ada Lovelace",
    "company": "Analytical Engines",
    "line1": " 1 Main  Street ",
    "line2": "Suite 4",
    "city": "Springfield",
    "postalCode": "62701-1234",
    "region": "illinois",
    "country": "us",
    "phone": "(217) 555-0100",
}
ILLINOIS_AS_KEPT = {
    "name": "Ada Lovelace",
    "company": "Analytical Engines",
    "line1": "1 Main Street",
    "line2": "Suite 4",
    "city": "Springfield",
    "postalCode": "62701-1234",
    "region": "US-IL",
    "country": "US",
    "countryName": "United States",
    "phone": "+12175550100",
    "formatted": [
        "Ada Lovelace",
        "Analytical Engines",
        "1 Main Street",
        "Suite 4",
        "Springfield, IL 62701-1234",
        "United States",
    ],
}
LONDON = {"line1": "10 Downing Street", "city": "London", "postalCode": "SW1A 2AA", "country": "GB"}


async def test_an_order_keeps_its_address_checked_and_normalised(graphql, shop):
    # given an address typed loosely: a region's name, a national phone, odd spaces
    placed = await place(graphql, shipping_order(("TEE-S", 1), shippingAddress=ILLINOIS))

    # when the order is read back
    data = await graphql.admin(ORDER_ADDRESS, {"id": placed["order"]["id"]})

    # then it holds the address written one way
    assert placed["userErrors"] == []
    assert data["order"]["shippingAddress"] == ILLINOIS_AS_KEPT


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("line1", " "),
        ("city", ""),
        ("postalCode", "ABCDE"),
        ("region", "Bavaria"),
        ("country", "XX"),
        ("phone", "555"),
        ("name", "x" * 201),
    ],
)
async def test_each_invalid_field_is_a_user_error_at_its_path(graphql, shop, field, value):
    # given an address with one field at fault
    address = ILLINOIS | {field: value} | ({"phone": None} if field == "country" else {})

    # when an order is placed to it
    placed = await place(graphql, shipping_order(("TEE-S", 1), shippingAddress=address))

    # then that field is refused, and nothing is placed or reserved
    assert [(e["field"], e["code"]) for e in placed["userErrors"]] == [
        (["input", "shippingAddress", field], "INVALID_INPUT")
    ]
    assert placed["order"] is None
    assert (await graphql.admin(ORDERS_COUNT))["orders"]["totalCount"] == 0
    assert await level(graphql, "TEE-S", shop.warehouse) == (10, 0)


async def test_every_field_at_fault_is_reported_at_once(graphql, shop):
    address = {"line1": "1 Road", "city": "", "postalCode": "1", "country": "GB"}

    placed = await place(graphql, shipping_order(("TEE-S", 1), shippingAddress=address))

    assert [e["field"][-1] for e in placed["userErrors"]] == ["city", "postalCode"]
    assert placed["userErrors"][1]["message"] == "'1' is not a postal code of GB"


async def test_a_shipping_order_needs_an_address(graphql, shop):
    placed = await place(graphql, shipping_order(("TEE-S", 1), shippingAddress=None))

    assert placed["userErrors"] == [
        {
            "field": ["input", "shippingAddress"],
            "code": "INVALID_INPUT",
            "message": "a SHIPPING order needs a shipping address",
        }
    ]


async def test_a_customer_keeps_structured_addresses(graphql, shop):
    # given a customer
    ada_id = await customer_id(graphql, shop.customer)
    ada = graphql.token(Role.CUSTOMER, customer=shop.customer)

    # when it adds an address of its own, typed loosely
    added = await graphql.data(
        ADD_ADDRESS,
        {"input": {"customerId": ada_id, "label": "Home", "address": ILLINOIS}},
        token=ada,
    )

    # then its book holds it written one way
    payload = added["addCustomerAddress"]
    assert payload["userErrors"] == []
    assert payload["customer"]["addresses"] == [{"label": "Home", "address": ILLINOIS_AS_KEPT}]


async def test_an_invalid_customer_address_is_refused_at_its_path(graphql, shop):
    ada_id = await customer_id(graphql, shop.customer)

    added = await graphql.admin(
        ADD_ADDRESS,
        {"input": {"customerId": ada_id, "label": "Work", "address": LONDON | {"region": "Texas"}}},
    )

    assert added["addCustomerAddress"]["userErrors"] == [
        {
            "field": ["input", "address", "region"],
            "code": "INVALID_INPUT",
            "message": "'Texas' is not a region of GB: give its ISO 3166-2 code (e.g. GB-ABC) "
            "or name",
        }
    ]


async def test_an_order_address_is_a_snapshot_the_customer_book_does_not_change(graphql, shop):
    # given an order shipped to the customer's home, from its address book
    ada_id = await customer_id(graphql, shop.customer)
    await graphql.admin(
        ADD_ADDRESS, {"input": {"customerId": ada_id, "label": "Home", "address": ILLINOIS}}
    )
    placed = await place(
        graphql,
        shipping_order(("TEE-S", 1), customerEmail=shop.customer, shippingAddress=ILLINOIS),
    )

    # when the customer's book changes: a new home in London
    moved = await graphql.admin(
        ADD_ADDRESS, {"input": {"customerId": ada_id, "label": "Home", "address": LONDON}}
    )

    # then the order still goes where it went when it was placed
    data = await graphql.admin(ORDER_ADDRESS, {"id": placed["order"]["id"]})
    assert moved["addCustomerAddress"]["userErrors"] == []
    assert len(moved["addCustomerAddress"]["customer"]["addresses"]) == 2
    assert data["order"]["shippingAddress"] == ILLINOIS_AS_KEPT
