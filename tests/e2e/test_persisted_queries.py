"""Persisted queries against `omniorder serve`, with the real Apollo Client (npm) and its
PersistedQueryLink (tests/clients/apollo_persisted.mjs): automatic persisted queries on one
server and shared by two through Redis, a Redis that is down, and the allow-list, which
WebSocket operations keep to as well."""

from __future__ import annotations

import asyncio
import hashlib
import json
from pathlib import Path
from typing import Any

import httpx
import websockets
from websockets.asyncio.client import connect

from tests.e2e.conftest import ADMIN, npm_client
from tests.e2e.processes import Server
from tests.test_cli import omniorder

MUG = 'query Mug { variant(sku: "MUG") { sku name } }'
TEE = 'query Tee { variant(sku: "TEE-S") { sku } }'
MUG_DATA = {"variant": {"__typename": "Variant", "sku": "MUG", "name": "Mug"}}
# What the link sent: a hash alone that missed, then the document with it (by POST).
MISSED_THEN_SENT = [
    {"method": "POST", "query": False, "hash": True},
    {"method": "POST", "query": True, "hash": True},
]
HASH_ONLY = [{"method": "POST", "query": False, "hash": True}]
ALLOW_LIST = {"OMNIORDER_PERSISTED_ONLY": "1"}
ORDERS = "subscription Orders { orderStatusChanged { status order { number } } }"
STOCK = 'subscription Stock { stockLevelChanged(locationCode: "ST-B", sku: "MUG") { onHand } }'
PLACE = """mutation Place($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { number } userErrors { code } }
}"""
ORDER = {
    "input": {
        "channel": "WEB",
        "fulfilment": "SHIPPING",
        "shippingAddress": {
            "line1": "1 Road",
            "city": "Springfield",
            "postalCode": "62701",
            "country": "US",
        },
        "lines": [{"sku": "MUG", "quantity": 1}],
    }
}


async def apollo(spec: dict[str, Any]) -> Any:
    """What the Apollo Client script printed for `spec`."""
    return await npm_client("apollo_persisted.mjs", spec, timeout=60)


def runs(*steps: tuple[Server, str]) -> dict[str, Any]:
    return {"runs": [{"url": server.url, "document": document} for server, document in steps]}


async def test_the_first_request_registers_the_document_and_the_next_sends_its_hash(
    servers, shop_database, database_url
):
    # Given a server that has never seen the document
    server = await servers(database_url)
    # When two Apollo Clients run it one after the other, the second by GET
    spec = runs((server, MUG), (server, MUG))
    spec["runs"][1]["useGET"] = True
    first, second = await apollo(spec)
    # Then the first sent the hash, missed and sent the document; the second the hash alone
    assert (first["data"], first["errors"], first["requests"]) == (MUG_DATA, [], MISSED_THEN_SENT)
    assert (second["data"], second["errors"]) == (MUG_DATA, [])
    assert second["requests"] == [{"method": "GET", "query": False, "hash": True}]


async def test_two_servers_share_documents_through_redis(
    servers, redis_server, shop_database, database_url
):
    # Given two server processes sharing one Redis
    one = await servers(database_url, redis_url=redis_server.url)
    other = await servers(database_url, redis_url=redis_server.url)
    # When a client registers the document on one, and another asks the other by hash
    first, second = await apollo(runs((one, MUG), (other, MUG)))
    # Then the other server knew it
    assert (first["data"], first["requests"]) == (MUG_DATA, MISSED_THEN_SENT)
    assert (second["data"], second["requests"]) == (MUG_DATA, HASH_ONLY)


async def test_with_redis_down_a_hash_misses_and_the_document_still_runs(
    servers, redis_server, shop_database, database_url
):
    # Given a server whose Redis has stopped after it learnt the document
    server = await servers(database_url, redis_url=redis_server.url)
    await apollo(runs((server, MUG)))
    redis_server.stop()
    # When a client names the document by hash
    (result,) = await apollo(runs((server, MUG)))
    # Then it is a miss, the client sends the document, and it runs
    assert (result["data"], result["errors"], result["requests"]) == (
        MUG_DATA,
        [],
        MISSED_THEN_SENT,
    )


async def test_in_allow_list_mode_only_operations_of_the_manifest_run(
    servers, shop_database, database_url, tmp_path
):
    # Given a server in allow-list mode and a manifest of one of two operations, registered
    server = await servers(database_url, env=ALLOW_LIST)
    manifest = tmp_path / "persisted-query-manifest.json"
    manifest.write_text(json.dumps(await apollo({"manifest": [{"name": "Mug", "document": MUG}]})))
    added = await asyncio.to_thread(
        omniorder, "persisted-queries", "add", str(manifest), database=database_url
    )
    assert added.returncode == 0, added.stderr
    # When Apollo Client runs both
    registered, unregistered = await apollo(runs((server, MUG), (server, TEE)))
    # Then the registered one runs by hash alone; the other fails, even sent in full
    assert (registered["data"], registered["requests"]) == (MUG_DATA, HASH_ONLY)
    assert (unregistered["data"], unregistered["errors"]) == (None, ["PERSISTED_QUERY_NOT_ALLOWED"])
    assert unregistered["requests"] == MISSED_THEN_SENT


def register(tmp_path: Path, database_url: str, *operations: tuple[str, str, str]) -> None:
    """Registers (name, type, body) operations with `omniorder persisted-queries add`."""
    manifest = tmp_path / "manifest.json"
    listed = [
        {"id": hashlib.sha256(body.encode()).hexdigest(), "name": name, "type": kind, "body": body}
        for name, kind, body in operations
    ]
    manifest.write_text(
        json.dumps(
            {"format": "apollo-persisted-query-manifest", "version": 1, "operations": listed}
        )
    )
    added = omniorder("persisted-queries", "add", str(manifest), database=database_url)
    assert added.returncode == 0, added.stderr


async def test_in_allow_list_mode_websocket_operations_keep_to_the_list(
    servers, shop_database, database_url, tmp_path
):
    # Given a server in allow-list mode with a subscription and a mutation registered
    await asyncio.to_thread(
        register,
        tmp_path,
        database_url,
        ("Orders", "subscription", ORDERS),
        ("Place", "mutation", PLACE),
    )
    server = await servers(database_url, env=ALLOW_LIST)
    transport_ws = [websockets.Subprotocol("graphql-transport-ws")]
    async with connect(server.ws_url, subprotocols=transport_ws) as ws:
        init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {ADMIN}"}}
        await ws.send(json.dumps(init))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        # When a client subscribes to an unregistered and a registered subscription
        for number, query in (("1", STOCK), ("2", ORDERS)):
            message = {"id": number, "type": "subscribe", "payload": {"query": query}}
            await ws.send(json.dumps(message))
        refused = json.loads(await asyncio.wait_for(ws.recv(), 20))
        async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
            placed = await http.post(
                "/graphql",
                json={"query": PLACE, "variables": ORDER},
                headers={"Authorization": f"Bearer {ADMIN}"},
            )
        event = json.loads(await asyncio.wait_for(ws.recv(), 20))
    # Then the unregistered one is refused, and the registered one hears of the new order
    assert (refused["id"], refused["type"]) == ("1", "error")
    assert refused["payload"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED"
    number = placed.json()["data"]["placeOrder"]["order"]["number"]
    assert (event["id"], event["type"]) == ("2", "next")
    assert event["payload"]["data"]["orderStatusChanged"]["order"]["number"] == number


async def test_in_allow_list_mode_the_legacy_websocket_protocol_keeps_to_the_list(
    servers, shop_database, database_url
):
    # Given a server in allow-list mode with nothing registered
    server = await servers(database_url, env=ALLOW_LIST)
    async with connect(server.ws_url, subprotocols=[websockets.Subprotocol("graphql-ws")]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        # When a client starts a subscription over the legacy graphql-ws protocol
        await ws.send(json.dumps({"id": "1", "type": "start", "payload": {"query": ORDERS}}))
        refused = json.loads(await asyncio.wait_for(ws.recv(), 20))
    # Then it is refused
    assert (refused["id"], refused["type"]) == ("1", "error")
    assert refused["payload"]["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED"
