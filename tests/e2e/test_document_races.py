"""Stock documents under concurrent commands, on PostgreSQL and SQLite through a real server
with two workers: transfers, returns, purchase orders, work orders, counts, service bookings
and POS terminals. Of N conflicting commands exactly one wins (or each legal one in turn),
the history stays one chain, and `verify-stock` finds every level equal to its ledger and to
what its open documents hold."""

from __future__ import annotations

import uuid
from typing import Any

from domain.access import Role
from tests.api import manufacturing_documents as work_orders
from tests.api import pos_documents as pos
from tests.api import purchasing_documents as purchasing
from tests.api import returns_documents as returns
from tests.api import services_documents as services
from tests.api import transfers_documents as transfers
from tests.api.conftest import GraphQL
from tests.e2e.races import (
    CLIENTS,
    TRIALS,
    assert_one_chain,
    outcomes,
    race,
    times,
    verify_stock,
    winner,
)

HALF = CLIENTS // 2
START_COUNT = """
mutation($input: StartStockCountInput!) { startStockCount(input: $input) {
  stockCount { id lines { sku expected } } userErrors { field code message }
} }"""
SUBMIT_COUNT = """
mutation($input: SubmitStockCountInput!) { submitStockCount(input: $input) {
  stockCount { status history { sequence fromStatus toStatus } }
  userErrors { field code message }
} }"""
ON_HAND = """
query($sku: String!, $location: String!) {
  stockLevels(filter: {sku: $sku, locationCode: $location}) { edges { node { onHand } } }
}"""
SERVICE_HISTORY = """
query($id: ID!) { order(id: $id) { status history { sequence fromStatus toStatus } } }"""


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:6].upper()}"


def ok(payload: dict[str, Any]) -> dict[str, Any]:
    assert payload["userErrors"] == [], payload
    return payload


async def on_hand(remote: GraphQL, sku: str, location: str) -> int:
    data = await remote.admin(ON_HAND, {"sku": sku, "location": location})
    return data["stockLevels"]["edges"][0]["node"]["onHand"]


# -- transfers ----------------------------------------------------------------------------------


async def transfer_step(remote: GraphQL, mutation: str, transfer_id: str) -> dict:
    extra = {"carrier": "DHL", "trackingNumber": "JD1"} if mutation == "shipTransfer" else {}
    if mutation == "receiveTransfer":
        extra = {"lines": transfers.lines(("TEE-S", 2))}
    return await transfers.run(remote, mutation, {"transferId": transfer_id} | extra)


async def requested_transfer(remote: GraphQL) -> str:
    transfer_id = ok(await transfers.create(remote, ("TEE-S", 2)))["transfer"]["id"]
    ok(await transfer_step(remote, "requestTransfer", transfer_id))
    return transfer_id


async def test_a_transfer_ships_once_and_is_received_once(remote, race_server):
    for _ in range(TRIALS):
        transfer_id = await requested_transfer(remote)
        shipped = await race(*times(CLIENTS, transfer_step, remote, "shipTransfer", transfer_id))
        assert outcomes(shipped) == {"OK": 1, "INVALID_TRANSITION": CLIENTS - 1}
        received = await race(
            *times(CLIENTS, transfer_step, remote, "receiveTransfer", transfer_id)
        )
        assert outcomes(received) == {"OK": 1, "INVALID_TRANSITION": CLIENTS - 1}
        transfer = winner(received)["transfer"]
        assert transfer["status"] == "RECEIVED"
        assert_one_chain(transfer["history"])
    await verify_stock(race_server.database_url)


async def test_shipping_a_transfer_racing_its_cancel_does_one_or_the_other(remote, race_server):
    for _ in range(TRIALS):
        transfer_id = await requested_transfer(remote)
        payloads = await race(
            *times(HALF, transfer_step, remote, "shipTransfer", transfer_id),
            *times(HALF, transfer_step, remote, "cancelTransfer", transfer_id),
        )
        assert outcomes(payloads)["OK"] == 1
        transfer = winner(payloads)["transfer"]
        assert transfer["status"] in {"IN_TRANSIT", "CANCELLED"}
        assert_one_chain(transfer["history"])
    await verify_stock(race_server.database_url)


# -- returns ------------------------------------------------------------------------------------


async def requested_return(remote: GraphQL, units: int) -> str:
    """A return of every unit of a shipped order."""
    order = await returns.shipped_order(remote, ("TEE-S", units))
    rma = ok(await returns.request_return(remote, order["id"], ("TEE-S", units, "too big")))
    return rma["return"]["id"]


async def test_each_return_step_is_taken_once(remote, race_server):
    for _ in range(TRIALS):
        return_id = await requested_return(remote, 2)
        for mutation in ("approveReturn", "receiveReturn", "refundReturn"):
            if mutation == "receiveReturn":
                line = ("TEE-S", 2, "RESTOCK")
                commands = times(CLIENTS, returns.receive, remote, return_id, "WH-A", line)
            else:
                commands = times(CLIENTS, returns.step, remote, mutation, return_id)
            payloads = await race(*commands)
            assert outcomes(payloads) == {"OK": 1, "INVALID_TRANSITION": CLIENTS - 1}, mutation
        final = winner(payloads)["return"]
        assert final["status"] == "REFUNDED"
        assert final["order"]["status"] == "RETURNED"
        assert_one_chain(final["history"])
    await verify_stock(race_server.database_url)


async def test_approving_a_return_racing_its_rejection_does_one_or_the_other(remote, race_server):
    for _ in range(TRIALS):
        return_id = await requested_return(remote, 1)
        payloads = await race(
            *times(HALF, returns.step, remote, "approveReturn", return_id),
            *times(HALF, returns.step, remote, "rejectReturn", return_id),
        )
        # Either the rejection came first, or one approval and then one rejection (an
        # approved return may still be rejected); never two of either.
        approved, rejected = outcomes(payloads[:HALF]), outcomes(payloads[HALF:])
        assert approved["OK"] <= 1 and rejected["OK"] == 1
        final = winner(payloads[HALF:])["return"]
        assert final["status"] == "REJECTED"
        assert [c["toStatus"] for c in final["history"]] == ["REQUESTED"] + ["APPROVED"] * approved[
            "OK"
        ] + ["REJECTED"]


async def test_eight_returns_of_two_shipped_units_accept_two(remote, race_server):
    customer = remote.token(Role.CUSTOMER, customer="ada@example.com")
    for _ in range(TRIALS):
        order = await returns.shipped_order(remote, ("TEE-S", 2))
        line = ("TEE-S", 1, "too big")
        payloads = await race(
            *times(CLIENTS, returns.request_return, remote, order["id"], line, token=customer)
        )
        assert outcomes(payloads)["OK"] == 2


# -- purchase orders ----------------------------------------------------------------------------


async def new_purchase_order(remote: GraphQL, units: int) -> str:
    supplier = unique("SUP")
    ok(await purchasing.create_supplier(remote, code=supplier))
    created = await purchasing.create(remote, ("TEE-M", units, "4.20"), supplier=supplier)
    return ok(created)["purchaseOrder"]["id"]


async def test_a_purchase_order_is_submitted_once_and_receives_each_unit_once(remote, race_server):
    for _ in range(TRIALS):
        order_id = await new_purchase_order(remote, 5)
        submitted = await race(*times(CLIENTS, purchasing.submit, remote, order_id))
        assert outcomes(submitted) == {"OK": 1, "INVALID_TRANSITION": CLIENTS - 1}
        before = await on_hand(remote, "TEE-M", "WH-A")
        received = await race(*times(10, purchasing.receive, remote, order_id, ("TEE-M", 1)))
        assert outcomes(received)["OK"] == 5
        assert await on_hand(remote, "TEE-M", "WH-A") == before + 5
    await verify_stock(race_server.database_url)


async def test_receiving_a_purchase_order_racing_its_cancel_keeps_incoming_right(
    remote, race_server
):
    for _ in range(TRIALS):
        order_id = await new_purchase_order(remote, 4)
        ok(await purchasing.submit(remote, order_id))
        payloads = await race(
            *times(HALF, purchasing.receive, remote, order_id, ("TEE-M", 1)),
            *times(HALF, purchasing.cancel, remote, order_id),
        )
        cancelled = outcomes(payloads[HALF:])
        assert cancelled["OK"] <= 1
        data = await remote.admin(purchasing.PURCHASE_ORDER, {"id": order_id})
        assert_one_chain(data["purchaseOrder"]["history"])
    await verify_stock(race_server.database_url)


# -- work orders --------------------------------------------------------------------------------


async def test_a_work_order_is_released_started_and_completed_once(remote, race_server):
    await work_orders.table_and_leg_boms(remote)
    for _ in range(TRIALS):
        created = ok(await work_orders.create(remote, "TABLE", quantity=1))
        work_order_id = created["workOrder"]["id"]
        for mutation in ("releaseWorkOrder", "startWorkOrder"):
            payloads = await race(
                *times(CLIENTS, work_orders.step, remote, mutation, work_order_id)
            )
            assert outcomes(payloads) == {"OK": 1, "INVALID_TRANSITION": CLIENTS - 1}, mutation
        before = await on_hand(remote, "TABLE", "WH-A")
        completed = await race(*times(CLIENTS, work_orders.complete, remote, work_order_id, 1))
        assert outcomes(completed)["OK"] == 1
        assert await on_hand(remote, "TABLE", "WH-A") == before + 1
        final = winner(completed)["workOrder"]
        assert_one_chain(final["history"])
    await verify_stock(race_server.database_url)


async def test_releasing_a_work_order_racing_its_cancel_holds_components_only_if_released(
    remote, race_server
):
    await work_orders.table_and_leg_boms(remote)
    for _ in range(TRIALS):
        created = ok(await work_orders.create(remote, "TABLE", quantity=1))
        work_order_id = created["workOrder"]["id"]
        payloads = await race(
            *times(HALF, work_orders.step, remote, "releaseWorkOrder", work_order_id),
            *times(HALF, work_orders.step, remote, "cancelWorkOrder", work_order_id),
        )
        cancelled = outcomes(payloads[HALF:])
        assert cancelled["OK"] == 1 and outcomes(payloads[:HALF])["OK"] <= 1
    await verify_stock(race_server.database_url)


# -- counts -------------------------------------------------------------------------------------


async def submit_count(remote: GraphQL, count_id: str, counted: int) -> dict:
    input = {"countId": count_id, "lines": [{"sku": "MUG", "counted": counted}]}
    return (await remote.admin(SUBMIT_COUNT, {"input": input}))["submitStockCount"]


async def test_a_count_is_posted_once(remote, race_server):
    for _ in range(TRIALS):
        started = await remote.admin(
            START_COUNT, {"input": {"locationCode": "ST-B", "skus": ["MUG"]}}
        )
        count = ok(started["startStockCount"])["stockCount"]
        expected = count["lines"][0]["expected"]
        payloads = await race(*times(CLIENTS, submit_count, remote, count["id"], expected + 3))
        assert outcomes(payloads) == {"OK": 1, "INVALID_TRANSITION": CLIENTS - 1}
        assert await on_hand(remote, "MUG", "ST-B") == expected + 3
        assert_one_chain(winner(payloads)["stockCount"]["history"])
    await verify_stock(race_server.database_url)


# -- service bookings ---------------------------------------------------------------------------


async def service_step(remote: GraphQL, mutation: str, order_id: str) -> dict:
    if mutation == "completeService":
        data = await remote.admin(services.COMPLETE, {"input": {"orderId": order_id}})
    else:
        data = await remote.admin(services.service_step(mutation), {"input": {"orderId": order_id}})
    return data[mutation]


async def test_a_booking_starts_once_completes_once_and_uses_its_recipe_once(remote, race_server):
    sku = unique("CUT")
    ok(await services.create_service(remote, sku=sku))
    ok(await services.set_capacity(remote, "ST-B", 50, sku=sku))
    ok(await services.set_recipe(remote, sku, ("MUG", 1)))
    for hour in range(TRIALS):
        booked = ok(await services.book(remote, "ST-B", services.tomorrow(9 + hour), sku=sku))
        order_id = booked["order"]["id"]
        started = await race(*times(CLIENTS, service_step, remote, "startService", order_id))
        assert outcomes(started) == {"OK": 1, "INVALID_TRANSITION": CLIENTS - 1}
        before = await on_hand(remote, "MUG", "ST-B")
        done = await race(*times(CLIENTS, service_step, remote, "completeService", order_id))
        assert outcomes(done) == {"OK": 1, "INVALID_TRANSITION": CLIENTS - 1}
        assert await on_hand(remote, "MUG", "ST-B") == before - 1
        order = (await remote.admin(SERVICE_HISTORY, {"id": order_id}))["order"]
        assert order["status"] == "COMPLETED"
        assert_one_chain(order["history"])
    for hour in range(TRIALS):  # a cancel frees its place in the slot once
        booked = ok(await services.book(remote, "ST-B", services.tomorrow(14 + hour), sku=sku))
        order_id = booked["order"]["id"]
        cancelled = await race(*times(CLIENTS, service_step, remote, "cancelService", order_id))
        assert outcomes(cancelled) == {"OK": 1, "INVALID_TRANSITION": CLIENTS - 1}
    await verify_stock(race_server.database_url)  # also checks every slot against its bookings


# -- POS terminals ------------------------------------------------------------------------------


async def test_a_till_sending_one_batch_eight_times_at_once_records_each_sale_once(
    remote, race_server
):
    for _ in range(TRIALS):
        token = ok(await pos.register(remote, "ST-B", unique("Till")))["token"]
        batch = [pos.sale(("MUG", 1, "9.50")) for _ in range(3)]
        before = await on_hand(remote, "MUG", "ST-B")
        reports = await race(*times(CLIENTS, pos.sync, remote, token, *batch))
        assert sum(report["accepted"] for report in reports) == 3
        assert sum(report["duplicates"] for report in reports) == 3 * (CLIENTS - 1)
        assert await on_hand(remote, "MUG", "ST-B") == before - 3
    await verify_stock(race_server.database_url)
