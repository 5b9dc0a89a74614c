"""GraphQL documents and helpers shared by the customer recognition and wholesale tests."""

from __future__ import annotations

from domain.access import Role

CREATE_CUSTOMER = """
mutation($input: CreateCustomerInput!) { createCustomer(input: $input) {
  customer { id email name phone } userErrors { field code message } } }"""
CUSTOMERS = """
query($filter: CustomerFilter) { customers(first: 50, filter: $filter) {
  totalCount edges { node { id email name phone } } } }"""
CUSTOMER = """
query($id: ID!) { customer(id: $id) {
  email name phone orderCount
  group { code }
  orders(first: 10) { totalCount edges { node { number channel total { amount } } } }
} }"""
GROUP_FIELDS = """
  id code name discountPercent minimumLineQuantity
  prices { sku price { amount currency } minimumQuantity variant { name } }
"""
CREATE_GROUP = f"""
mutation($input: CreateCustomerGroupInput!) {{ createCustomerGroup(input: $input) {{
  customerGroup {{ {GROUP_FIELDS} }} userErrors {{ field code message }} }} }}"""
SET_PRICES = f"""
mutation($input: SetCustomerGroupPricesInput!) {{ setCustomerGroupPrices(input: $input) {{
  customerGroup {{ {GROUP_FIELDS} }} userErrors {{ field code message }} }} }}"""
ASSIGN_GROUP = """
mutation($input: AssignCustomerGroupInput!) { assignCustomerGroup(input: $input) {
  customer { email group { code } } userErrors { field code message } } }"""
GROUPS = f"{{ customerGroups(first: 10) {{ totalCount edges {{ node {{ {GROUP_FIELDS} }} }} }} }}"
GROUP_NODE = "query($id: ID!) { node(id: $id) { ... on CustomerGroup { code } } }"
MY_GROUP = "{ me { customer { group { code discountPercent prices { sku } } } } }"


async def customer_by_email(graphql, email: str) -> dict | None:
    listed = await graphql.admin(CUSTOMERS, {"filter": {"email": email}})
    edges = listed["customers"]["edges"]
    return edges[0]["node"] if edges else None


async def create_group(graphql, token: str | None = None, **terms) -> dict:
    variables = {"input": {"code": "TRADE", "name": "Trade customers"} | terms}
    data = await graphql.data(CREATE_GROUP, variables, token=token or graphql.token(Role.ADMIN))
    return data["createCustomerGroup"]


async def set_prices(graphql, *prices: dict, code: str = "TRADE", token: str | None = None):
    data = await graphql.data(
        SET_PRICES,
        {"input": {"groupCode": code, "prices": list(prices)}},
        token=token or graphql.token(Role.ADMIN),
    )
    return data["setCustomerGroupPrices"]


async def assign_group(
    graphql, customer_id: str, code: str | None = "TRADE", token: str | None = None
) -> dict:
    data = await graphql.data(
        ASSIGN_GROUP,
        {"input": {"customerId": customer_id, "groupCode": code}},
        token=token or graphql.token(Role.ADMIN),
    )
    return data["assignCustomerGroup"]


def wholesale_order(*lines: tuple[str, int], **extra) -> dict:
    return {
        "input": {
            "channel": "WHOLESALE",
            "fulfilment": "SHIPPING",
            "shippingAddress": {
                "line1": "Trade Park 4",
                "city": "Leeds",
                "postalCode": "LS1 4AP",
                "country": "GB",
            },
            "lines": [{"sku": sku, "quantity": quantity} for sku, quantity in lines],
        }
        | extra
    }


async def join_trade_group(graphql, email: str) -> None:
    """Put the customer with this email in a group TRADE (list prices, no minimum), created
    if need be, so that it may place WHOLESALE orders."""
    await create_group(graphql)  # DUPLICATE when it exists already, which is as good
    customer = await customer_by_email(graphql, email)
    assert customer is not None, f"no customer {email}"
    assigned = await assign_group(graphql, customer["id"])
    assert assigned["userErrors"] == [], assigned
