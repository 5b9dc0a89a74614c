"""GraphQL documents and helpers shared by the service tests (and the fuzz test's seed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.access import Role

SERVICE_ORDER_FIELDS = """
  id number status channel fulfilment total { amount currency }
  customer { email }
  pickupLocation { code }
  booking { location { code } scheduledAt slotStart }
  lines { sku quantity unitPrice { amount } allocations { quantity } }
  history { fromStatus toStatus actor note }
"""
CREATE_SERVICE = """
mutation($input: CreateProductInput!) {
  createProduct(input: $input) {
    product { id kind variants { sku } } userErrors { field code message }
  }
}"""
SET_RECIPE = """
mutation($input: SetServiceRecipeInput!) {
  setServiceRecipe(input: $input) {
    variant { sku recipe { sku quantity variant { sku } } } userErrors { field code message }
  }
}"""
SET_CAPACITY = """
mutation($input: SetServiceCapacityInput!) {
  setServiceCapacity(input: $input) {
    capacity { slotMinutes capacity location { code } service { sku } }
    userErrors { field code message }
  }
}"""
BOOK = f"""
mutation($input: BookServiceInput!) {{
  bookService(input: $input) {{
    order {{ {SERVICE_ORDER_FIELDS} }} userErrors {{ field code message }}
  }}
}}"""
COMPLETE = f"""
mutation($input: CompleteServiceInput!) {{
  completeService(input: $input) {{
    order {{ {SERVICE_ORDER_FIELDS} }} userErrors {{ field code message }}
  }}
}}"""
SERVICE = """
query($sku: String!) { variant(sku: $sku) {
  sku product { kind } stockLevels { onHand }
  recipe { sku quantity }
  capacities { slotMinutes capacity location { code } }
} }"""


def service_step(name: str) -> str:
    return f"""
mutation($input: ServiceStatusInput!) {{
  {name}(input: $input) {{
    order {{ {SERVICE_ORDER_FIELDS} }} userErrors {{ field code message }}
  }}
}}"""


def tomorrow(hour: int, minute: int = 0) -> str:
    """A time tomorrow (UTC), as the API takes it."""
    day = datetime.now(UTC).date() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC).isoformat()


async def create_service(graphql, sku: str = "CUT", price: str = "30.00") -> dict:
    variables = {
        "input": {
            "name": "Haircut",
            "kind": "SERVICE",
            "variants": [
                {"sku": sku, "name": "Cut", "price": {"amount": price, "currency": "USD"}}
            ],
        }
    }
    return (await graphql.admin(CREATE_SERVICE, variables))["createProduct"]


async def set_recipe(graphql, sku: str, *consumables: tuple[str, int], token=None) -> dict:
    variables = {
        "input": {"sku": sku, "consumables": [{"sku": s, "quantity": q} for s, q in consumables]}
    }
    token = graphql.token(Role.ADMIN) if token is None else token
    return (await graphql.data(SET_RECIPE, variables, token=token))["setServiceRecipe"]


async def set_capacity(
    graphql, location: str, capacity: int, sku: str = "CUT", minutes: int = 60, token=None
) -> dict:
    variables = {
        "input": {
            "sku": sku,
            "locationCode": location,
            "slotMinutes": minutes,
            "capacity": capacity,
        }
    }
    token = graphql.token(Role.ADMIN) if token is None else token
    return (await graphql.data(SET_CAPACITY, variables, token=token))["setServiceCapacity"]


async def book(graphql, location: str, when: str, *, token=None, sku="CUT", **extra) -> dict:
    variables = {"input": {"sku": sku, "locationCode": location, "scheduledAt": when} | extra}
    token = graphql.token(Role.ADMIN) if token is None else token
    return (await graphql.data(BOOK, variables, token=token))["bookService"]


async def step(graphql, name: str, order_id: str, *, token=None, **extra) -> dict:
    token = graphql.token(Role.ADMIN) if token is None else token
    variables = {"input": {"orderId": order_id} | extra}
    return (await graphql.data(service_step(name), variables, token=token))[name]


async def complete(graphql, order_id: str, used=None, *, token=None) -> dict:
    variables: dict = {"input": {"orderId": order_id}}
    if used is not None:
        variables["input"]["consumablesUsed"] = [{"sku": s, "quantity": q} for s, q in used]
    token = graphql.token(Role.ADMIN) if token is None else token
    return (await graphql.data(COMPLETE, variables, token=token))["completeService"]
