"""Benchmark sign-in and the fixed cost of a signed-in request on a real server.

    .venv/bin/python -m bench.sign_in --backend sqlite
    .venv/bin/python -m bench.sign_in --backend postgresql [--redis redis://127.0.0.1:6379/0]

Makes a fresh database (removed afterwards) with `--accounts` verified customer accounts
(one argon2id hash of the default cost, shared), starts `omniorder serve` with the sign-in
limits off and drives it, in closed loop, with:

(a) signIn: each request signs a different account in (argon2id verification, a session
    row, a token pair), 8 clients: the ceiling of sign-ins per process;
(b) `{ me { role } }` with a signed-in customer's access token, 16 clients: a request's
    fixed cost with token verification and the revocation check (one Redis EXISTS per
    request with --redis);
(c) the same with an ADMIN token printed by `omniorder token`.

Each workload gets a warm-up, then `--runs` runs of `--seconds`; the table shows the median.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import secrets
import sys
from datetime import UTC, datetime
from typing import Any

import httpx
from argon2 import PasswordHasher
from sqlalchemy import insert, select

from bench.arguments import add_postgres_admin
from bench.fixtures import fresh_database
from bench.load import OK, Workload, graphql_data, probe, run_once
from bench.server import admin_token, app_environment, running_server
from persistence.database import Database
from persistence.migrate import upgrade_to_head
from persistence.records import CustomerAccountRecord, CustomerRecord

PASSWORD = "correct horse battery staple"
SIGN_IN = """
mutation($email: String!, $password: String!) {
  signIn(input: {email: $email, password: $password}) { accessToken userErrors { code } }
}"""
ME = "{ me { role } }"
LIMITS_OFF = {
    "OMNIORDER_SIGN_IN_LIMIT_PER_EMAIL": "off",
    "OMNIORDER_SIGN_IN_LIMIT_PER_ADDRESS": "off",
    "OMNIORDER_MUTATION_LIMIT": "off",
}


async def add_accounts(url: str, count: int) -> list[str]:
    """`count` verified accounts sharing one password hash; their emails."""
    database = Database(url)
    now = datetime.now(UTC)
    emails = [f"shopper{number}@example.com" for number in range(count)]
    password_hash = PasswordHasher().hash(PASSWORD)
    try:
        await upgrade_to_head(database.write_engine)
        async with database.writing() as session, session.begin():
            await session.execute(
                insert(CustomerRecord),
                [{"email": e, "name": e, "created_at": now} for e in emails],
            )
            ids = (await session.scalars(select(CustomerRecord.id))).all()
            await session.execute(
                insert(CustomerAccountRecord),
                [
                    {
                        "customer_id": customer_id,
                        "password_hash": password_hash,
                        "verified_at": now,
                        "created_at": now,
                        "password_changed_at": now,
                    }
                    for customer_id in ids
                ],
            )
    finally:
        await database.dispose()
    return emails


def sign_in_workload(emails: list[str]) -> Workload:
    rotation = itertools.cycle(emails)

    def body() -> dict[str, Any]:
        return {"query": SIGN_IN, "variables": {"email": next(rotation), "password": PASSWORD}}

    def classify(response: httpx.Response) -> str:
        data, problem = graphql_data(response)
        if problem or data is None:
            return problem or "no data"
        payload = data["signIn"]
        if payload["userErrors"]:
            return f"userError:{payload['userErrors'][0]['code']}"
        return OK if payload["accessToken"] else "no token"

    return Workload("signIn sessions/s", 8, body, classify)


def me_workload(name: str, role: str) -> Workload:
    def classify(response: httpx.Response) -> str:
        data, problem = graphql_data(response)
        return problem or (OK if data and data["me"]["role"] == role else "wrong role")

    return Workload(name, 16, lambda: {"query": ME}, classify)


async def customer_token(base_url: str, email: str) -> str:
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        response = await client.post(
            "/graphql", json={"query": SIGN_IN, "variables": {"email": email, "password": PASSWORD}}
        )
    return response.json()["data"]["signIn"]["accessToken"]


async def benchmark(args: argparse.Namespace) -> list[Workload]:
    async with fresh_database(args.backend, args.postgres_admin) as url:
        emails = await add_accounts(url, args.accounts)
        env = app_environment(url, secrets.token_urlsafe(32)) | LIMITS_OFF
        if args.redis:
            env["REDIS_URL"] = args.redis
        admin = admin_token(env)
        with running_server(env) as server:
            customer = await customer_token(server.base_url, emails[0])
            plan = [
                (sign_in_workload(emails), admin),
                (me_workload("me req/s, customer session token", "CUSTOMER"), customer),
                (me_workload("me req/s, ADMIN printed token", "ADMIN"), admin),
            ]
            for workload, token in plan:
                await probe(workload, base_url=server.base_url, token=token)
                if workload.failed:
                    print(f"  {workload.name}: NOT MEASURED: {workload.failed}")
                    continue
                for number in range(args.runs + 1):  # the first is the warm-up
                    result = await run_once(
                        workload,
                        base_url=server.base_url,
                        token=token,
                        seconds=args.seconds,
                        max_requests=1_000_000,
                        server_cpu=server.cpu_seconds,
                    )
                    if number:
                        workload.results.append(result)
                    print(
                        f"  {workload.name}: run {number} {result.rate:.1f}/s "
                        f"{dict(result.outcomes)}"
                    )
        return [workload for workload, _ in plan]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sign_in", description=__doc__)
    parser.add_argument("--backend", required=True, choices=["sqlite", "postgresql"])
    parser.add_argument("--accounts", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--redis", help="REDIS_URL for the server (revocations checked there)")
    add_postgres_admin(parser)
    args = parser.parse_args(argv)
    workloads = asyncio.run(benchmark(args))
    redis = "with Redis" if args.redis else "without Redis"
    print(
        f"\n{args.backend}, {args.accounts} accounts, 1 server process {redis}, "
        f"{os.cpu_count()} CPUs"
    )
    for workload in workloads:
        runs = " ".join(f"{r.rate:.1f}" for r in workload.results)
        median = workload.median_rate
        print(f"{workload.name:40} median {median or 0:8.1f}   runs {runs}")
    return 0 if not any(w.failed for w in workloads) else 1


if __name__ == "__main__":
    sys.exit(main())
