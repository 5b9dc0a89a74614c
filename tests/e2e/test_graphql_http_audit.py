"""The `graphql-http` audit (npm), a client nobody here wrote, against a real server: every
MUST and every SHOULD of the GraphQL-over-HTTP spec passes."""

import asyncio

import pytest

from tests.e2e.processes import CLIENTS

AUDIT_SECONDS = 120


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_the_endpoint_passes_every_must_and_should_of_the_audit(
    servers, database, database_url
):
    server = await servers(database_url)
    audit = await asyncio.create_subprocess_exec(
        "node",
        str(CLIENTS / "audit.mjs"),
        f"{server.url}/graphql",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(audit.communicate(), AUDIT_SECONDS)
    assert audit.returncode == 0, f"graphql-http audit failed:\n{output.decode()}"
