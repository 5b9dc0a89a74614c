"""Benchmark a sequential checkout: place an order, then pay it, one after the other.

    .venv/bin/python -m bench.place_and_pay --backend sqlite
    .venv/bin/python -m bench.place_and_pay --backend postgresql

Makes a fresh database (removed afterwards), seeded as bench.catalog_and_orders seeds it
(500 products x 4 variants x 5 locations by default), starts `omniorder serve` and runs one
client that, in a loop, places a WEB order (1-3 random in-stock SKUs, quantity 1) and pays
it with `authorizePayment` through the `manual` provider (the WEB channel captures on
placement: an authorization and a capture in the ledger). For comparison it also runs the
same loop placing orders without paying them. Then it sets up pricing rules (sales tax
for the address's state, a shipping zone with a method, three automatic promotions and a
voucher) and runs two more loops: placing orders that name the method and the voucher, and
previewing them with `priceOrder`, so "place only" and "place, priced" compare in one run.
Each gets a warm-up, then `--runs` runs of `--seconds`; the table shows the median flows
per second. Afterwards `omniorder verify-ledger` checks the money ledger.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import statistics
import sys
import time
from typing import Any

import httpx

from bench.arguments import add_postgres_admin
from bench.catalog_and_orders import PLACE_ORDER
from bench.fixtures import Seeded, fresh_database, migrate_and_seed
from bench.server import admin_token, app_environment, run_cli, running_server

AUTHORIZE_PAYMENT = """
mutation Pay($input: AuthorizePaymentInput!) {
  authorizePayment(input: $input) {
    payment { state } order { paymentStatus } userErrors { field code message }
  }
}
"""
PRICE_ORDER = """
mutation Price($input: PlaceOrderInput!) {
  priceOrder(input: $input) { price { total { amount } } userErrors { field code message } }
}
"""
# Pricing rules for the priced loops: (mutation, its input).
PRICING_RULES: list[tuple[str, dict[str, Any]]] = [
    ("setTaxRate", {"country": "US", "region": "IL", "percent": "6.25", "name": "Sales tax"}),
    ("createShippingZone", {"code": "US", "name": "United States", "countries": ["US"]}),
    (
        "createShippingMethod",
        {
            "code": "STANDARD",
            "name": "Standard",
            "zoneCode": "US",
            "pricing": "FLAT",
            "price": {"amount": "5.00", "currency": "USD"},
            "freeAbove": {"amount": "75.00", "currency": "USD"},
            "channels": ["WEB"],
        },
    ),
    *(
        ("createPromotion", {"channels": ["WEB"], **promotion})
        for promotion in (
            {"name": "Everyday", "kind": "PERCENTAGE", "value": "5", "stackable": True},
            {
                "name": "3 for 2",
                "kind": "BUY_X_GET_Y",
                "value": "100",
                "buyQuantity": 2,
                "getQuantity": 1,
            },
            {
                "name": "Big order",
                "kind": "ORDER_PERCENTAGE",
                "value": "3",
                "currency": "USD",
                "minimumSubtotal": "100",
            },
            {
                "name": "Voucher",
                "kind": "PERCENTAGE",
                "value": "2",
                "stackable": True,
                "voucherCodes": [{"code": "BENCH1"}],
            },
        )
    ),
]
LIMITS_OFF = {"OMNIORDER_MUTATION_LIMIT": "off"}


class Checkout:
    """One client's sequential checkouts; counts what went wrong instead of stopping."""

    def __init__(self, client: httpx.AsyncClient, seeded: Seeded, seed: int) -> None:
        self.client = client
        self.skus = list(seeded.web_skus)
        self.rng = random.Random(seed)
        self.keys = 0
        self.failures: dict[str, int] = {}

    def order_input(self, **priced: Any) -> dict[str, Any]:
        skus = self.rng.sample(self.skus, k=min(self.rng.randint(1, 3), len(self.skus)))
        return {
            "channel": "WEB",
            "fulfilment": "SHIPPING",
            "shippingAddress": {
                "line1": "1 Benchmark Street",
                "city": "Springfield",
                "region": "IL",
                "postalCode": "62701",
                "country": "US",
            },
            "lines": [{"sku": sku, "quantity": 1} for sku in skus],
            **priced,
        }

    async def place(self, **priced: Any) -> str | None:
        payload = await self._mutation(PLACE_ORDER, self.order_input(**priced), "placeOrder")
        return payload["order"]["id"] if payload else None

    async def place_priced(self) -> str | None:
        return await self.place(shippingMethodCode="STANDARD", voucherCodes=["BENCH1"])

    async def price_priced(self) -> bool:
        priced = self.order_input(shippingMethodCode="STANDARD", voucherCodes=["BENCH1"])
        return await self._mutation(PRICE_ORDER, priced, "priceOrder") is not None

    async def set_up_pricing(self) -> None:
        for name, values in PRICING_RULES:
            input_type = name[0].upper() + name[1:] + "Input"
            document = (
                f"mutation($input: {input_type}!) {{"
                f" {name}(input: $input) {{ userErrors {{ field code message }} }} }}"
            )
            await self._mutation(document, values, name)
        assert not self.failures, self.failures

    async def place_and_pay(self) -> bool:
        order_id = await self.place()
        if order_id is None:
            return False
        self.keys += 1
        pay_input = {
            "orderId": order_id,
            "provider": "manual",
            "method": "CARD",
            "idempotencyKey": f"bench-{self.keys}",
        }
        payload = await self._mutation(AUTHORIZE_PAYMENT, pay_input, "authorizePayment")
        if payload and payload["order"]["paymentStatus"] != "PAID":
            self._fail(f"paymentStatus {payload['order']['paymentStatus']}")
            return False
        return payload is not None

    async def _mutation(self, query: str, variables: dict[str, Any], name: str) -> Any:
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": {"input": variables}}
        )
        if response.status_code != 200:
            self._fail(f"HTTP {response.status_code}")
            return None
        body = response.json()
        if body.get("errors"):
            self._fail(body["errors"][0].get("message", "error"))
            return None
        payload = body["data"][name]
        if payload["userErrors"]:
            self._fail(f"{name}: {payload['userErrors'][0]['code']}")
            return None
        return payload

    def _fail(self, reason: str) -> None:
        self.failures[reason] = self.failures.get(reason, 0) + 1


async def timed(step: Any, seconds: float) -> float:
    """Completed flows per second of `step`, run back to back for `seconds`."""
    done = 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        done += bool(await step())
    return done / (time.perf_counter() - started)


async def run_steps(
    steps: dict[str, Any], args: argparse.Namespace, rates: dict[str, list[float]]
) -> None:
    for number in range(args.runs + 1):  # the first is the warm-up
        for name, step in steps.items():
            rate = await timed(step, args.seconds)
            if number:
                rates[name].append(rate)
            print(f"  {name}: run {number} {rate:.1f}/s")


async def benchmark(args: argparse.Namespace) -> dict[str, list[float]]:
    rates: dict[str, list[float]] = {
        "place and pay": [],
        "place only": [],
        "place, priced": [],
        "priceOrder": [],
    }
    async with fresh_database(args.backend, args.postgres_admin) as url:
        seeded = await migrate_and_seed(
            url, products=args.products, variants=args.variants, seed=args.seed
        )
        env = app_environment(url, secrets.token_urlsafe(32)) | LIMITS_OFF
        headers = {"Authorization": f"Bearer {admin_token(env)}"}
        with running_server(env) as server:
            async with httpx.AsyncClient(
                base_url=server.base_url, headers=headers, timeout=60
            ) as client:
                checkout = Checkout(client, seeded, args.seed)
                plain = {"place and pay": checkout.place_and_pay, "place only": checkout.place}
                priced = {
                    "place, priced": checkout.place_priced,
                    "priceOrder": checkout.price_priced,
                }
                await run_steps(plain, args, rates)
                await checkout.set_up_pricing()
                await run_steps(priced, args, rates)
                if checkout.failures:
                    print(f"  failures: {checkout.failures}")
        verify = run_cli(["verify-ledger"], env)
        print(f"  verify-ledger: {(verify.stdout or verify.stderr).strip()}")
        print(f"\n{args.backend}, {seeded.size}, 1 sequential client, {os.cpu_count()} CPUs")
    return rates


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.place_and_pay", description=__doc__)
    parser.add_argument("--backend", required=True, choices=["sqlite", "postgresql"])
    parser.add_argument("--products", type=int, default=500)
    parser.add_argument("--variants", type=int, default=4)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--seed", type=int, default=7)
    add_postgres_admin(parser)
    args = parser.parse_args(argv)
    rates = asyncio.run(benchmark(args))
    for name, runs in rates.items():
        listed = " ".join(f"{rate:.1f}" for rate in runs)
        print(f"{name:16} median {statistics.median(runs):7.1f} flows/s   runs {listed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
