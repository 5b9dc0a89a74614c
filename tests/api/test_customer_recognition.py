"""One customer across channels: staff, POS terminals and the wholesale desk name a person by
email or phone, typed however they like, and every order lands on the same customer."""

import asyncio

from domain.access import Role
from tests.api.orders_documents import level, pickup_order, place, shipping_order
from tests.api.wholesale_documents import (
    CREATE_CUSTOMER,
    CUSTOMER,
    CUSTOMERS,
    assign_group,
    create_group,
    customer_by_email,
    wholesale_order,
)


async def test_web_pos_and_wholesale_orders_for_one_person_land_on_one_customer(graphql, shop):
    clerk = graphql.token(Role.STAFF, subject="phone-desk")
    till = graphql.token(Role.POS, locations=(shop.store,), subject="till-1")
    web = await place(
        graphql,
        shipping_order(
            ("TEE-S", 1),
            customerEmail="Kim.Lee@Example.com",
            customerPhone="+44 20 7946 0958",
            customerName="Kim Lee",
        ),
    )
    kim = await customer_by_email(graphql, "kim.lee@example.com")
    await create_group(graphql)
    await assign_group(graphql, kim["id"])

    by_phone = await place(
        graphql,
        pickup_order(shop.store, ("MUG", 1), channel="POS", customerPhone="+44 (20) 7946-0958"),
        token=till,
    )
    wholesale = await place(
        graphql, wholesale_order(("TEE-M", 2), customerEmail="  KIM.LEE@example.COM "), token=clerk
    )

    assert [web["userErrors"], by_phone["userErrors"], wholesale["userErrors"]] == [[], [], []]
    assert kim["phone"] == "+442079460958"
    assert kim["name"] == "Kim Lee"
    data = await graphql.admin(CUSTOMER, {"id": kim["id"]})
    orders = data["customer"]["orders"]["edges"]
    assert [(e["node"]["number"], e["node"]["channel"]) for e in orders] == [
        (wholesale["order"]["number"], "WHOLESALE"),
        (by_phone["order"]["number"], "POS"),
        (web["order"]["number"], "WEB"),
    ]
    assert data["customer"]["orderCount"] == 3
    listed = await graphql.admin(CUSTOMERS, {"filter": {"search": "kim"}})
    assert listed["customers"]["totalCount"] == 1


async def test_an_unknown_email_creates_the_customer_named_after_the_address(graphql, shop):
    placed = await place(graphql, shipping_order(("TEE-S", 1), customerEmail="New.Buyer@Shop.io"))

    created = await customer_by_email(graphql, "new.buyer@shop.io")
    assert placed["order"]["customer"] == {"email": "new.buyer@shop.io"}
    assert (created["name"], created["phone"]) == ("New.Buyer", None)


async def test_the_next_order_by_email_links_to_the_customer_the_first_one_created(graphql, shop):
    first = await place(graphql, shipping_order(("TEE-S", 1), customerEmail="sam@example.com"))
    second = await place(
        graphql,
        shipping_order(("MUG", 1), customerEmail="SAM@example.com", customerName="Other Name"),
    )

    sam = await customer_by_email(graphql, "sam@example.com")
    data = await graphql.admin(CUSTOMER, {"id": sam["id"]})
    assert first["order"]["customer"] == second["order"]["customer"]
    assert data["customer"]["name"] == "sam"
    assert data["customer"]["orderCount"] == 2


async def test_an_email_names_the_customer_before_a_phone_does(graphql, shop):
    await graphql.admin(
        CREATE_CUSTOMER,
        {"input": {"email": "pat@example.com", "name": "Pat", "phone": "+1 202 555 0199"}},
    )

    placed = await place(
        graphql,
        shipping_order(("TEE-S", 1), customerEmail=shop.customer, customerPhone="+12025550199"),
    )

    assert placed["order"]["customer"] == {"email": shop.customer}


async def test_an_unknown_email_with_a_known_phone_is_the_phones_customer(graphql, shop):
    await graphql.admin(
        CREATE_CUSTOMER,
        {"input": {"email": "pat@example.com", "name": "Pat", "phone": "+1 202 555 0199"}},
    )

    placed = await place(
        graphql,
        shipping_order(
            ("TEE-S", 1), customerEmail="pat@work.example", customerPhone="+1.202.555.0199"
        ),
    )

    assert placed["order"]["customer"] == {"email": "pat@example.com"}
    assert await customer_by_email(graphql, "pat@work.example") is None


async def test_a_refused_order_creates_no_customer(graphql, shop):
    refused = await place(graphql, shipping_order(("TEE-S", 99), customerEmail="ghost@example.com"))

    assert refused["userErrors"][0]["code"] == "INSUFFICIENT_STOCK"
    assert await customer_by_email(graphql, "ghost@example.com") is None
    assert await level(graphql, "TEE-S", shop.warehouse) == (10, 0)


async def test_first_orders_at_once_for_one_new_email_make_one_customer(graphql, shop):
    payloads = await asyncio.gather(
        *(
            place(graphql, shipping_order(("MUG", 1), customerEmail="rush@example.com"))
            for _ in range(4)
        )
    )

    # On PostgreSQL all four insert the customer at once; three lose the race on the unique
    # email, and take the customer the winner added.
    assert [p["userErrors"] for p in payloads] == [[], [], [], []]
    assert [p["order"]["customer"] for p in payloads] == [{"email": "rush@example.com"}] * 4
    listed = await graphql.admin(CUSTOMERS, {"filter": {"email": "rush@example.com"}})
    assert listed["customers"]["totalCount"] == 1


async def test_a_phone_alone_that_nobody_has_is_refused(graphql, shop):
    refused = await place(graphql, shipping_order(("TEE-S", 1), customerPhone="+1 (202) 555-0100"))

    assert refused["order"] is None
    assert refused["userErrors"] == [
        {
            "field": ["input", "customerPhone"],
            "code": "NOT_FOUND",
            "message": "no customer has phone +12025550100; give an email to create one",
        }
    ]


async def test_a_customer_caller_always_orders_as_itself(graphql, shop):
    await graphql.admin(
        CREATE_CUSTOMER,
        {"input": {"email": "pat@example.com", "name": "Pat", "phone": "+1 202 555 0199"}},
    )
    ada = graphql.token(Role.CUSTOMER, customer=shop.customer)

    own = await place(
        graphql, shipping_order(("TEE-S", 1), customerPhone="+12025550199"), token=ada
    )
    other = await place(
        graphql, shipping_order(("TEE-S", 1), customerEmail="pat@example.com"), token=ada
    )

    assert own["order"]["customer"] == {"email": shop.customer}
    assert other["userErrors"][0]["code"] == "FORBIDDEN"


async def test_a_phone_already_in_use_is_refused_however_it_is_typed(graphql, shop):
    first = await graphql.admin(
        CREATE_CUSTOMER,
        {"input": {"email": "pat@example.com", "name": "Pat", "phone": "+1 202 555 0143"}},
    )
    again = await graphql.admin(
        CREATE_CUSTOMER,
        {"input": {"email": "lou@example.com", "name": "Lou", "phone": "+1 (202) 555-0143"}},
    )

    assert first["createCustomer"]["customer"]["phone"] == "+12025550143"
    assert again["createCustomer"]["customer"] is None
    assert again["createCustomer"]["userErrors"] == [
        {
            "field": ["input", "phone"],
            "code": "DUPLICATE",
            "message": "a customer with phone +12025550143 exists",
        }
    ]


async def test_a_malformed_phone_or_email_is_invalid_input_naming_the_field(graphql, shop):
    created = await graphql.admin(
        CREATE_CUSTOMER, {"input": {"email": "pat@example.com", "name": "Pat", "phone": "12"}}
    )
    bad_phone = await place(graphql, shipping_order(("TEE-S", 1), customerPhone="call me"))
    bad_email = await place(graphql, shipping_order(("TEE-S", 1), customerEmail="kim@"))
    long_name = await place(
        graphql,
        shipping_order(("TEE-S", 1), customerEmail="kim@example.com", customerName="K" * 201),
    )

    assert created["createCustomer"]["userErrors"][0]["field"] == ["input", "phone"]
    assert [e["userErrors"][0]["field"] for e in (bad_phone, bad_email, long_name)] == [
        ["input", "customerPhone"],
        ["input", "customerEmail"],
        ["input", "customerName"],
    ]
    assert {e["userErrors"][0]["code"] for e in (created["createCustomer"], bad_phone)} == {
        "INVALID_INPUT"
    }


async def test_customers_are_found_by_a_phone_typed_any_way(graphql, shop):
    await graphql.admin(
        CREATE_CUSTOMER,
        {"input": {"email": "pat@example.com", "name": "Pat", "phone": "+44 20 7946 0958"}},
    )

    found = [
        (await graphql.admin(CUSTOMERS, {"filter": {"search": typed}}))["customers"]["edges"]
        for typed in ("7946-0958", "+44 (20) 7946", "020.7946")
    ]

    assert [[e["node"]["email"] for e in edges] for edges in found] == [
        ["pat@example.com"],
        ["pat@example.com"],
        [],
    ]
