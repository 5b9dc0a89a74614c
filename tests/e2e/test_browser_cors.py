"""A web page on another origin, in a real headless Chromium, calls `omniorder serve`: a
query and a mutation by `fetch` and a subscription over a WebSocket
(tests/clients/browser_cors.mjs). Listed in OMNIORDER_CORS_ORIGINS, it gets the answers;
unlisted, the browser keeps them from it, and the server refuses its WebSocket."""

from __future__ import annotations

import json
from typing import Any

import pytest
import websockets
from websockets.asyncio.client import connect

from tests.e2e.conftest import ADMIN, in_chromium
from tests.e2e.processes import Server
from tests.ports import free_port

QUERY = '{ variant(sku: "MUG") { sku } }'
PLACE = """
mutation($input: PlaceOrderInput!) { placeOrder(input: $input) {
  order { number status } userErrors { code } } }"""
ORDERS = "subscription { orderStatusChanged { status order { number status } } }"
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
FETCH_REFUSED = {"error": "TypeError: Failed to fetch"}


async def in_the_browser(chromium: str, server: Server, page_port: int) -> dict[str, Any]:
    """What the page on http://127.0.0.1:`page_port` got from the API."""
    spec = {
        "chromium": chromium,
        "pagePort": page_port,
        "api": server.url,
        "token": ADMIN,
        "query": QUERY,
        "mutation": PLACE,
        "variables": ORDER,
        "subscription": ORDERS,
    }
    return await in_chromium("browser_cors.mjs", spec)


async def test_a_page_on_a_listed_origin_queries_mutates_and_subscribes(
    chromium, servers, shop_database, database_url
):
    page_port = free_port()
    server = await servers(database_url, cors_origins=f"http://127.0.0.1:{page_port}")
    results = await in_the_browser(chromium, server, page_port)
    assert results["query"]["data"] == {"variant": {"sku": "MUG"}}
    placed = results["mutation"]["data"]["placeOrder"]
    assert (placed["userErrors"], placed["order"]["status"]) == ([], "PENDING")
    assert results["event"]["data"] == {
        "orderStatusChanged": {"status": "PENDING", "order": placed["order"]}
    }


async def test_a_page_on_an_unlisted_origin_gets_nothing(
    chromium, servers, shop_database, database_url
):
    page_port = free_port()
    server = await servers(database_url, cors_origins="https://shop.example.com")
    results = await in_the_browser(chromium, server, page_port)
    # The WebSocket handshake was refused (403), which a page sees only as code 1006.
    assert results == {
        "query": FETCH_REFUSED,
        "mutation": FETCH_REFUSED,
        "event": {"error": "closed with 1006"},
    }


async def test_a_websocket_handshake_from_an_unlisted_origin_is_refused(
    servers, shop_database, database_url
):
    server = await servers(database_url, cors_origins="https://shop.example.com")
    subprotocols = [websockets.Subprotocol("graphql-transport-ws")]
    with pytest.raises(websockets.InvalidStatus) as refused:
        evil = websockets.Origin("https://evil.example.net")
        async with connect(server.ws_url, origin=evil, subprotocols=subprotocols):
            pass
    assert refused.value.response.status_code == 403
    for origin in ("https://shop.example.com", None):  # listed, or not a browser
        origin_header = websockets.Origin(origin) if origin else None
        async with connect(server.ws_url, origin=origin_header, subprotocols=subprotocols) as ws:
            await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
            assert json.loads(await ws.recv())["type"] == "connection_ack"
