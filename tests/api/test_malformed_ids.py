"""An id that is no global id at all ("", "-354703", text that is not base64 of
`Type:key`) is refused with a code wherever it is sent: in a query's argument a GraphQL
error INVALID_INPUT; in a mutation's input a userError INVALID_INPUT on its field, and
nothing changes. Inline or as a variable alike. A well-formed id of another type keeps
its answer: null from a query, NOT_FOUND from a mutation."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import graphql as gql

from api.schema import schema
from domain.access import Role
from tests.api.orders_documents import place, shipping_order

MALFORMED: list[str | int] = [
    "",
    "-354703",
    "not an id!",
    base64.b64encode(b"354703").decode(),  # base64, but no `Type:` before the key
    base64.b64encode(b"\xff\xfe:1").decode(),  # base64 of bytes that are not UTF-8
    354703,  # the ID type takes integers too
]
PRODUCT_ID = base64.b64encode(b"Product:1").decode()  # well formed, but no order's id

ORDER = "query($id: ID!) { order(id: $id) { status } }"
NODE = "query($id: ID!) { node(id: $id) { id } }"
RETURNS = "query($filter: ReturnFilter) { returns(filter: $filter) { totalCount } }"
USER_ERRORS = "userErrors { field code message }"
CONFIRM_ORDER = f"""
mutation($input: OrderStatusInput!) {{ confirmOrder(input: $input) {{ {USER_ERRORS} }} }}"""
SHIP_ORDER = f"""
mutation($input: ShipOrderInput!) {{ shipOrder(input: $input) {{ {USER_ERRORS} }} }}"""
RECEIVE_TRANSFER = f"""
mutation($input: ReceiveTransferInput!) {{ receiveTransfer(input: $input) {{ {USER_ERRORS} }} }}"""
SYNC_POS_RETURNS = f"""
mutation($input: SyncPosReturnsInput!) {{
  syncPosReturns(input: $input) {{ results {{ status error {{ code }} }} {USER_ERRORS} }}
}}"""
# Each mutation with its input: the id as a variable, and all of it inline (`<id>`).
SHIP_LINES = {"lines": [{"sku": "TEE-S", "quantity": 2}], "carrier": "UPS", "trackingNumber": "1Z"}
MUTATIONS = [
    (
        "confirmOrder",
        CONFIRM_ORDER,
        {"orderId": "<id>"},
        f"mutation {{ confirmOrder(input: {{orderId: <id>}}) {{ {USER_ERRORS} }} }}",
    ),
    (
        "shipOrder",
        SHIP_ORDER,
        {"orderId": "<id>", **SHIP_LINES},
        'mutation { shipOrder(input: {orderId: <id>, lines: [{sku: "TEE-S", quantity: 2}], '
        f'carrier: "UPS", trackingNumber: "1Z"}}) {{ {USER_ERRORS} }} }}',
    ),
    (
        "receiveTransfer",
        RECEIVE_TRANSFER,
        {"transferId": "<id>", "lines": []},
        "mutation { receiveTransfer(input: {transferId: <id>, lines: []}) "
        f"{{ {USER_ERRORS} }} }}",
    ),
]
# What a refused mutation must leave as it was.
STATE = """{
  orders(first: 100) { edges { node { status history { toStatus } } } }
  stockLevels(first: 100) { edges { node { onHand reserved } } }
  returns { totalCount }
  transfers { totalCount }
}"""


def literal(value: str | int) -> str:
    """The value as a GraphQL literal (a JSON string or integer is one)."""
    return json.dumps(value)


def codes(body: dict[str, Any]) -> list[str | None]:
    return [(error.get("extensions") or {}).get("code") for error in body.get("errors", [])]


def assert_invalid_input(body: dict[str, Any], field: str) -> None:
    """One GraphQL error, INVALID_INPUT, on the root field `field`, which is null."""
    assert codes(body) == ["INVALID_INPUT"], body
    assert body["errors"][0]["path"] == [field]
    assert body["data"] is None or body["data"][field] is None


def assert_user_error(payload: dict[str, Any], field: list[str], sent: str | int) -> None:
    """One userError INVALID_INPUT on `field`, saying what to send, not echoing the text."""
    [error] = payload["userErrors"]
    assert (error["field"], error["code"]) == (field, "INVALID_INPUT"), payload
    assert "is not an id" in error["message"]
    assert str(sent) == "" or str(sent) not in error["message"]


def with_id(value: Any, sent: str | int) -> Any:
    """`value` (a document, or variables) with `sent` where it says <id>."""
    if isinstance(value, str):
        return value.replace("<id>", literal(sent))
    return {key: sent if item == "<id>" else item for key, item in value.items()}


async def test_a_malformed_id_in_a_query_argument_is_invalid_input(graphql, shop):
    token = graphql.token(Role.ADMIN)
    for sent in MALFORMED:
        for field, document in (("order", ORDER), ("node", NODE)):
            # when
            inline = await graphql.post(f"{{ {field}(id: {literal(sent)}) {{ id }} }}", token=token)
            variable = await graphql.post(document, {"id": sent}, token=token)
            # then
            assert_invalid_input(inline, field)
            assert_invalid_input(variable, field)


async def test_a_malformed_order_id_in_a_query_filter_is_invalid_input(graphql, shop):
    token = graphql.token(Role.ADMIN)
    for sent in MALFORMED:
        inline = await graphql.post(
            f"{{ returns(filter: {{orderId: {literal(sent)}}}) {{ totalCount }} }}", token=token
        )
        variable = await graphql.post(RETURNS, {"filter": {"orderId": sent}}, token=token)
        assert_invalid_input(inline, "returns")
        assert_invalid_input(variable, "returns")


async def test_an_id_variable_that_is_no_id_value_is_invalid_input(graphql, shop):
    for sent in (1.5, True, ["a"], {"a": 1}):
        body = await graphql.post(ORDER, {"id": sent}, token=graphql.token(Role.ADMIN))
        # the variable does not coerce to an ID, so the operation never ran: no path
        assert codes(body) == ["INVALID_INPUT"], body
        assert "path" not in body["errors"][0]


async def test_a_malformed_id_in_a_mutation_input_is_a_user_error_and_changes_nothing(
    graphql, shop
):
    # given: an order waiting to be confirmed and shipped, its stock reserved
    order = (await place(graphql, shipping_order(("TEE-S", 2))))["order"]
    before = await graphql.admin(STATE)
    for name, document, variables, inline in MUTATIONS:
        id_field = next(key for key, value in variables.items() if value == "<id>")
        for sent in MALFORMED:
            # when
            by_variable = await graphql.admin(document, {"input": with_id(variables, sent)})
            by_literal = await graphql.admin(with_id(inline, sent))
            # then
            assert_user_error(by_variable[name], ["input", id_field], sent)
            assert_user_error(by_literal[name], ["input", id_field], sent)
    # then: the order is still pending, its stock still reserved, and nothing else moved
    assert await graphql.admin(STATE) == before
    assert (await graphql.admin(ORDER, {"id": order["id"]}))["order"]["status"] == "PENDING"


async def test_a_malformed_order_id_in_a_list_of_counter_returns_refuses_the_batch(graphql, shop):
    # given: a batch whose second return names its order by a malformed id
    order = (await place(graphql, shipping_order(("MUG", 1))))["order"]
    before = await graphql.admin(STATE)

    def counter_return(order_id: str | int) -> dict[str, Any]:
        return {
            "clientReturnId": str(uuid.uuid4()),
            "occurredAt": datetime.now(UTC).isoformat(),
            "orderId": order_id,
            "lines": [{"sku": "MUG", "quantity": 1}],
        }

    for sent in MALFORMED:
        # when
        returns = [counter_return(order["id"]), counter_return(sent)]
        data = await graphql.admin(
            SYNC_POS_RETURNS, {"input": {"returns": returns, "locationCode": "ST-B"}}
        )
        # then: the whole batch is refused, on the field at fault
        payload = data["syncPosReturns"]
        assert payload["results"] == []
        assert_user_error(payload, ["input", "returns", "1", "orderId"], sent)
    assert await graphql.admin(STATE) == before


async def test_a_well_formed_id_of_another_type_keeps_its_answer(graphql, shop):
    # given: an order, and the id of a product
    await place(graphql, shipping_order(("TEE-S", 1)))
    # when
    read = await graphql.post(ORDER, {"id": PRODUCT_ID}, token=graphql.token(Role.ADMIN))
    confirmed = await graphql.admin(CONFIRM_ORDER, {"input": {"orderId": PRODUCT_ID}})
    returned = await graphql.admin(
        SYNC_POS_RETURNS,
        {
            "input": {
                "returns": [
                    {
                        "clientReturnId": str(uuid.uuid4()),
                        "occurredAt": datetime.now(UTC).isoformat(),
                        "orderId": PRODUCT_ID,
                        "lines": [{"sku": "MUG", "quantity": 1}],
                    }
                ],
                "locationCode": "ST-B",
            }
        },
    )
    # then: a query finds nothing, a mutation says NOT_FOUND, a counter return is rejected
    assert read["data"] == {"order": None}
    assert "errors" not in read
    assert [e["code"] for e in confirmed["confirmOrder"]["userErrors"]] == ["NOT_FOUND"]
    assert returned["syncPosReturns"]["results"] == [
        {"status": "REJECTED", "error": {"code": "NOT_FOUND"}}
    ]


# -- every operation: the ones above stand for these -------------------------------------


def _required_value(type_: gql.GraphQLInputType) -> Any:
    """A value of `type_` that GraphQL accepts, with only the required input fields."""
    type_ = gql.get_nullable_type(type_)
    if isinstance(type_, gql.GraphQLList):
        return []
    if isinstance(type_, gql.GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, gql.GraphQLInputObjectType):
        return {
            name: _required_value(field.type)
            for name, field in type_.fields.items()
            if gql.is_required_input_field(field)
        }
    samples = {
        "String": "x",
        "Int": 1,
        "Float": 1.0,
        "Boolean": False,
        "ID": PRODUCT_ID,
        "Decimal": "1",
        "Date": "2026-01-01",
        "DateTime": "2026-01-01T00:00:00+00:00",
        "UUID": str(uuid.uuid4()),
        "Upload": "x",  # no file: refused (INVALID_INPUT) after the ids are checked
    }
    return samples[type_.name]  # a new scalar needs a sample here


def _operations_taking_an_id() -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """(root field, argument, its type) of each query taking an id, and (root field, input
    type, id field) of each mutation whose input holds one."""
    graphql_schema = schema._schema
    assert graphql_schema.query_type and graphql_schema.mutation_type
    queries = [
        (name, argument_name, str(argument.type))
        for name, field in graphql_schema.query_type.fields.items()
        for argument_name, argument in field.args.items()
        if gql.get_named_type(argument.type).name == "ID"
    ]
    mutations = []
    for name, field in graphql_schema.mutation_type.fields.items():
        if "input" not in field.args:
            continue  # signOut, signOutEverywhere: about the caller's own session, no input
        input_type = gql.get_named_type(field.args["input"].type)
        assert isinstance(input_type, gql.GraphQLInputObjectType)
        mutations.extend(
            (name, input_type.name, field_name)
            for field_name, input_field in input_type.fields.items()
            if str(input_field.type) in ("ID", "ID!")
        )
    return queries, mutations


async def test_every_operation_taking_an_id_refuses_a_malformed_one_with_a_code(graphql, shop):
    # given: an order, so that there is something a refused mutation could have changed
    await place(graphql, shipping_order(("TEE-S", 1)))
    before = await graphql.admin(STATE)
    queries, mutations = _operations_taking_an_id()
    assert len(queries) >= 10 and len(mutations) >= 30  # the schema lost no id on the way
    token = graphql.token(Role.ADMIN)
    for sent in ("", "-354703"):
        for name, argument, argument_type in queries:
            # when
            body = await graphql.post(
                f"query($v: {argument_type}) {{ {name}({argument}: $v) {{ __typename }} }}",
                {"v": sent},
                token=token,
            )
            # then
            assert_invalid_input(body, name)
        for name, input_type, id_field in mutations:
            input_value = _required_value(schema._schema.get_type(input_type))
            # when
            data = await graphql.admin(
                f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ {USER_ERRORS} }} }}",
                {"input": {**input_value, id_field: sent}},
            )
            # then
            assert_user_error(data[name], ["input", id_field], sent)
    assert await graphql.admin(STATE) == before
