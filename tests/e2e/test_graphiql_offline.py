"""GraphiQL works with no internet: in a real headless Chromium that may reach nothing but
`omniorder serve` (tests/clients/graphiql_offline.mjs), the page opened by the link
`omniorder token --graphiql-link` prints renders with the README's tour in its editor and
the token in its Headers tab, runs a query as that token, and follows a subscription over
the WebSocket at the same URL."""

from __future__ import annotations

import json

import pytest

from api.graphiql.page import DEFAULT_OPERATIONS, graphiql_link
from tests.api.conftest import DEFAULT_STOCK
from tests.e2e.conftest import ADMIN, in_chromium
from tests.e2e.test_browser_cors import ORDER, PLACE


# The page does not care which database the server uses.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_graphiql_runs_offline_as_the_token_its_link_carries(
    chromium, servers, shop_database, database_url
):
    server = await servers(database_url)
    spec = {
        "chromium": chromium,
        "link": graphiql_link(f"{server.url}/graphql", ADMIN),
        "token": ADMIN,
        "mutation": PLACE,
        "variables": ORDER,
        "attempts": DEFAULT_STOCK[("MUG", "ST-B")],  # orders of one MUG the shop can take
    }

    seen = await in_chromium("graphiql_offline.mjs", spec)

    assert (seen["offsite"], seen["failed"], seen["errors"]) == ([], [], [])
    assert seen["address"] == f"{server.url}/graphql"  # the token left the address bar
    assert seen["editor"] == DEFAULT_OPERATIONS.read_text()
    assert json.loads(max(seen["headers"], key=len)) == {"Authorization": f"Bearer {ADMIN}"}
    assert seen["query"]["data"] == {
        "me": {"role": "ADMIN", "subject": "admin", "locationCodes": []}
    }
    event = seen["event"]["data"]["orderStatusChanged"]
    assert (event["status"], event["actor"]) == ("PENDING", "admin")
