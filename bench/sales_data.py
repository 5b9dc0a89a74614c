"""A year of trade for the sales-report benchmark: 250,000 orders x 4 lines by default.

Rows are generated in Python (deterministic for a seed) and written with the drivers' bulk
paths, not through the app: the stdlib `sqlite3` module's `executemany` for SQLite, asyncpg's
COPY for PostgreSQL. What is written is what the app would have written, as far as the
reports read it:

- 5 locations and the channels' locations as in bench/fixtures.py; 500 products x 4
  variants, the last 50 products priced in EUR, the rest in USD;
- orders placed at random times over 2025 (UTC), ids in time order: WEB 45 %, MOBILE 20 %,
  POS 25 % (COUNTER sales, COMPLETED at a store), WHOLESALE 10 % (5-20 units a line); 5 % in
  EUR; 3 % CANCELLED; the last days' orders PENDING or CONFIRMED, some WHOLESALE ones of the
  last month BACKORDERED (partly allocated); the rest DELIVERED or COMPLETED;
- 4 lines an order, distinct variants, 1-3 units; each line allocated at one of its
  channel's locations (the first preferred), 5 % of them split across two;
- the ledger: a RESERVATION per allocation when placed, a RELEASE when cancelled, a SALE
  when shipped (0-3 days later; at once for counter sales), two receipts per level (before
  the year and mid-year) that cover what it sold, and levels equal to the sums;
- returns of 2 % of the shipped orders (one line, received 5-20 days after shipping, then
  refunded), with their four history steps and RETURN_RESTOCK movements.

Order status histories and outbox events are left out: no report reads them.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bench.fixtures import CHANNELS, LOCATIONS

START = datetime(2025, 1, 1, tzinfo=UTC)
DAYS = 365
END = START + timedelta(days=DAYS)
PRODUCTS = 500
EUR_PRODUCTS = 50
VARIANTS_PER_PRODUCT = 4
CHANNEL_SHARES = {"WEB": 0.45, "MOBILE": 0.20, "POS": 0.25, "WHOLESALE": 0.10}
SHIPPED = ("DELIVERED", "COMPLETED")
ACTOR = "bench-seed"


@dataclass
class Table:
    columns: tuple[str, ...]
    rows: list[tuple] = field(default_factory=list)


@dataclass
class Dataset:
    """Rows per table, in the order they must be written (foreign keys)."""

    tables: dict[str, Table]

    def count(self, name: str) -> int:
        return len(self.tables[name].rows)


def generate(orders: int, lines_per_order: int, seed: int, channel_ids: dict[str, int]) -> Dataset:
    return _Generator(random.Random(seed), channel_ids).run(orders, lines_per_order)


class _Generator:
    def __init__(self, rng: random.Random, channel_ids: dict[str, int]) -> None:
        self.rng = rng
        self.channel_ids = channel_ids
        self.location_ids = {code: i + 1 for i, (code, *_rest) in enumerate(LOCATIONS)}
        self.stores = [self.location_ids[c] for c, _, kind, _ in LOCATIONS if kind == "STORE"]
        self.t = {
            name: Table(tuple(columns.split()))
            for name, columns in {
                "locations": "id code name kind address",
                "channel_locations": "channel_id location_id position",
                "products": "id name description status created_at updated_at",
                "variants": "id product_id sku name price_cents currency updated_at",
                "orders": "id number channel fulfilment status version currency total_cents "
                "pickup_location_id created_at updated_at",
                "order_lines": "id order_id variant_id sku name quantity unit_price_cents",
                "order_allocations": "id order_line_id order_id location_id quantity fulfilled",
                "returns": "id number order_id status version location_id currency "
                "refund_cents created_at updated_at",
                "return_lines": "id return_id order_line_id variant_id sku quantity reason "
                "restocked damaged",
                "document_status_changes": "id document_type document_id sequence "
                "from_status to_status actor occurred_at",
                "stock_movements": "id variant_id location_id kind on_hand_delta "
                "reserved_delta reason reference actor occurred_at recorded_at",
                "stock_levels": "id variant_id location_id on_hand reserved",
            }.items()
        }
        self.variants: dict[str, list[tuple[int, str, str, int]]] = {"USD": [], "EUR": []}
        self.on_hand: dict[tuple[int, int], int] = defaultdict(int)
        self.reserved: dict[tuple[int, int], int] = defaultdict(int)
        self.sold: dict[tuple[int, int], int] = defaultdict(int)

    def run(self, orders: int, lines_per_order: int) -> Dataset:
        self._catalog()
        times = sorted(self.rng.random() * DAYS * 86_400 for _ in range(orders))
        for order_id, seconds in enumerate(times, start=1):
            self._order(order_id, START + timedelta(seconds=seconds), lines_per_order)
        self._receipts()
        self._levels()
        return Dataset(self.t)

    # -- the catalog and locations ------------------------------------------------------

    def _catalog(self) -> None:
        for (code, name, kind, address), location_id in zip(
            LOCATIONS, self.location_ids.values(), strict=True
        ):
            self.t["locations"].rows.append((location_id, code, name, kind, address))
        for channel, codes in CHANNELS.items():
            for position, code in enumerate(codes):
                self.t["channel_locations"].rows.append(
                    (self.channel_ids[channel], self.location_ids[code], position)
                )
        created = START - timedelta(days=30)
        for p in range(1, PRODUCTS + 1):
            self.t["products"].rows.append(
                (p, f"Bench product {p:05d}", "", "ACTIVE", created, created)
            )
            currency = "EUR" if p > PRODUCTS - EUR_PRODUCTS else "USD"
            for v in range(VARIANTS_PER_PRODUCT):
                variant_id = (p - 1) * VARIANTS_PER_PRODUCT + v + 1
                sku, price = f"SR-{p:05d}-{v}", self.rng.randrange(500, 20_000, 10)
                self.t["variants"].rows.append(
                    (variant_id, p, sku, f"Size {v}", price, currency, created)
                )
                self.variants[currency].append((variant_id, sku, f"Size {v}", price))

    # -- orders ---------------------------------------------------------------------------

    def _order(self, order_id: int, placed: datetime, lines_per_order: int) -> None:
        rng = self.rng
        channel = rng.choices(list(CHANNEL_SHARES), weights=list(CHANNEL_SHARES.values()))[0]
        currency = "EUR" if rng.random() < 0.05 else "USD"
        status = self._status(channel, placed)
        counter = channel == "POS"
        store = rng.choice(self.stores) if counter else None
        shipped_at = placed if counter else placed + timedelta(seconds=rng.random() * 3 * 86_400)
        total = 0
        lines = []
        for variant_id, sku, name, price in rng.sample(self.variants[currency], lines_per_order):
            quantity = rng.randint(5, 20) if channel == "WHOLESALE" else rng.randint(1, 3)
            line_id = len(self.t["order_lines"].rows) + 1
            self.t["order_lines"].rows.append(
                (line_id, order_id, variant_id, sku, name, quantity, price)
            )
            total += quantity * price
            places = [store] if store else self._places(channel, quantity)
            lines.append((line_id, variant_id, sku, quantity, price, places))
            for location_id, units in self._allocations(status, quantity, places):
                self._allocate(
                    order_id,
                    line_id,
                    variant_id,
                    location_id,
                    units,
                    status,
                    placed,
                    shipped_at,
                    counter,
                )
        if status in SHIPPED and rng.random() < 0.02:
            self._return(order_id, currency, rng.choice(lines), shipped_at)
            status = "PARTIALLY_RETURNED"
        self.t["orders"].rows.append(
            (
                order_id,
                f"B{order_id:07d}",
                channel,
                "COUNTER" if counter else "SHIPPING",
                status,
                1,
                currency,
                total,
                None,
                placed,
                shipped_at,
            )
        )

    def _status(self, channel: str, placed: datetime) -> str:
        if channel == "POS":
            return "COMPLETED"
        age = END - placed
        dice = self.rng.random()
        if dice < 0.03:
            return "CANCELLED"
        if channel == "WHOLESALE" and age < timedelta(days=30) and dice < 0.15:
            return "BACKORDERED"
        if age < timedelta(days=2):
            return "PENDING"
        if age < timedelta(days=5):
            return "CONFIRMED"
        return "DELIVERED" if dice < 0.6 else "COMPLETED"

    def _places(self, channel: str, quantity: int) -> list[int]:
        codes = CHANNELS[channel]
        first = self.rng.choices(codes, weights=[6, 3, 1][: len(codes)])[0]
        places = [self.location_ids[first]]
        if quantity > 1 and self.rng.random() < 0.05:
            other = self.rng.choice([c for c in codes if c != first])
            places.append(self.location_ids[other])
        return places

    def _allocations(self, status: str, quantity: int, places: list[int]) -> list[tuple[int, int]]:
        if status == "BACKORDERED":  # some lines wait for everything, others for a unit
            dice = self.rng.random()
            if dice < 0.3:
                return []
            if dice < 0.6:
                return [(places[0], quantity - 1)]
        if len(places) == 1:
            return [(places[0], quantity)]
        return [(places[0], quantity // 2), (places[1], quantity - quantity // 2)]

    def _allocate(
        self,
        order_id: int,
        line_id: int,
        variant_id: int,
        location_id: int,
        units: int,
        status: str,
        placed: datetime,
        shipped_at: datetime,
        counter: bool,
    ) -> None:
        if units <= 0:
            return
        shipped = status in SHIPPED or counter
        self.t["order_allocations"].rows.append(
            (
                len(self.t["order_allocations"].rows) + 1,
                line_id,
                order_id,
                location_id,
                units,
                units if shipped else 0,
            )
        )
        reference = f"order:{order_id}"
        if not counter:
            self._move(variant_id, location_id, "RESERVATION", 0, units, reference, placed)
        if status == "CANCELLED":
            later = placed + timedelta(hours=1)
            self._move(variant_id, location_id, "RELEASE", 0, -units, reference, later)
        elif shipped:
            held = 0 if counter else -units
            self._move(variant_id, location_id, "SALE", -units, held, reference, shipped_at)
            self.sold[variant_id, location_id] += units

    def _move(
        self,
        variant_id: int,
        location_id: int,
        kind: str,
        on_hand: int,
        reserved: int,
        reference: str,
        at: datetime,
        reason: str | None = None,
    ) -> None:
        self.t["stock_movements"].rows.append(
            (
                len(self.t["stock_movements"].rows) + 1,
                variant_id,
                location_id,
                kind,
                on_hand,
                reserved,
                reason,
                reference,
                ACTOR,
                at,
                at,
            )
        )
        self.on_hand[variant_id, location_id] += on_hand
        self.reserved[variant_id, location_id] += reserved

    # -- returns, receipts and levels ---------------------------------------------------

    def _return(self, order_id: int, currency: str, line: tuple, shipped_at: datetime) -> None:
        line_id, variant_id, sku, quantity, price, places = line
        return_id = len(self.t["returns"].rows) + 1
        received = shipped_at + timedelta(days=self.rng.uniform(5, 20))
        requested = received - timedelta(days=2)
        location_id = places[0] if self.rng.random() < 0.7 else self.rng.choice(self.stores)
        units = self.rng.randint(1, quantity)
        self.t["returns"].rows.append(
            (
                return_id,
                f"R{return_id:07d}",
                order_id,
                "REFUNDED",
                4,
                location_id,
                currency,
                units * price,
                requested,
                received + timedelta(hours=1),
            )
        )
        self.t["return_lines"].rows.append(
            (return_id, return_id, line_id, variant_id, sku, units, "", units, 0)
        )
        steps = [
            (None, "REQUESTED", requested),
            ("REQUESTED", "APPROVED", requested + timedelta(hours=2)),
            ("APPROVED", "RECEIVED", received),
            ("RECEIVED", "REFUNDED", received + timedelta(hours=1)),
        ]
        for sequence, (before, after, at) in enumerate(steps, start=1):
            change_id = len(self.t["document_status_changes"].rows) + 1
            self.t["document_status_changes"].rows.append(
                (change_id, "return", return_id, sequence, before, after, ACTOR, at)
            )
        reference = f"return:{return_id}"
        self._move(variant_id, location_id, "RETURN_RESTOCK", units, 0, reference, received)

    def _receipts(self) -> None:
        """Half of what a level sells arrives before the year, the rest mid-year."""
        mid_year = START + timedelta(days=DAYS // 2)
        for (variant_id, location_id), sold in sorted(self.sold.items()):
            first = sold // 2 + self.rng.randint(5, 50)
            for units, at in ((first, START - timedelta(days=1)), (sold - sold // 2, mid_year)):
                self._move(
                    variant_id,
                    location_id,
                    "ADJUSTMENT",
                    units,
                    0,
                    "adjustment",
                    at,
                    reason="RECEIVED",
                )

    def _levels(self) -> None:
        keys = sorted(set(self.on_hand) | set(self.reserved))
        for level_id, key in enumerate(keys, start=1):
            self.t["stock_levels"].rows.append(
                (level_id, *key, self.on_hand[key], self.reserved[key])
            )
