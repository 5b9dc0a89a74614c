"""The hand-written reference: the catalog page, served without Omniorder's stack.

    python -m bench.reference_catalog --host 127.0.0.1 --port 8001   # DATABASE_URL from env

A raw ASGI callable under uvicorn that answers `POST /graphql` with the catalog page of
`variables.first` products (the `CATALOG_PAGE` document of bench/catalog_and_orders.py,
whatever document is sent), in the same JSON shape as the app's response: three
hand-written statements (a page of products, their variants, their variants' stock levels
joined to locations), rows unpacked by position, the JSON built as plain dicts and encoded
with orjson. It reads the same database as the app: an asyncpg pool on PostgreSQL, one
sqlite3 connection on SQLite (each statement takes well under a millisecond there, so
blocking the event loop costs less than a thread hop would). What the query-plan executor
is measured against: how fast this page can be served at all from Python over this schema.
"""

from __future__ import annotations

import argparse
import base64
import os
import sqlite3
from collections import defaultdict
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from decimal import Decimal
from typing import Any, Protocol

import asyncpg  # type: ignore[import-untyped]
import orjson
import uvicorn

from domain.money import minor_unit_digits

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Row = Sequence[Any]

PRODUCTS = "SELECT id, name FROM products ORDER BY id LIMIT {limit}"
VARIANTS = (
    "SELECT id, product_id, sku, price_cents, currency FROM variants "
    "WHERE product_id {in_ids} ORDER BY id"
)
LEVELS = (
    "SELECT s.variant_id, s.on_hand, s.reserved, l.code FROM stock_levels s "
    "JOIN locations l ON l.id = s.location_id "
    "WHERE s.variant_id {in_ids} ORDER BY s.variant_id, s.location_id"
)


class Rows(Protocol):
    """Runs the statements above, their `{limit}` and `{in_ids}` filled in for a driver."""

    async def products(self, limit: int) -> list[Row]: ...
    async def variants(self, product_ids: list[int]) -> list[Row]: ...
    async def levels(self, variant_ids: list[int]) -> list[Row]: ...
    async def close(self) -> None: ...


class PostgresRows:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    @classmethod
    async def open(cls, dsn: str) -> PostgresRows:
        return cls(await asyncpg.create_pool(dsn, min_size=1, max_size=8))

    async def products(self, limit: int) -> list[Row]:
        return list(await self.pool.fetch(PRODUCTS.format(limit="$1"), limit))

    async def variants(self, product_ids: list[int]) -> list[Row]:
        return list(await self.pool.fetch(VARIANTS.format(in_ids="= ANY($1)"), product_ids))

    async def levels(self, variant_ids: list[int]) -> list[Row]:
        return list(await self.pool.fetch(LEVELS.format(in_ids="= ANY($1)"), variant_ids))

    async def close(self) -> None:
        await self.pool.close()


class SqliteRows:
    def __init__(self, path: str) -> None:
        self.connection = sqlite3.connect(path, check_same_thread=False)

    async def products(self, limit: int) -> list[Row]:
        return self.connection.execute(PRODUCTS.format(limit="?"), (limit,)).fetchall()

    async def variants(self, product_ids: list[int]) -> list[Row]:
        return self._in(VARIANTS, product_ids)

    async def levels(self, variant_ids: list[int]) -> list[Row]:
        return self._in(LEVELS, variant_ids)

    def _in(self, statement: str, ids: list[int]) -> list[Row]:
        marks = ",".join("?" * len(ids))
        return self.connection.execute(statement.format(in_ids=f"IN ({marks})"), ids).fetchall()

    async def close(self) -> None:
        self.connection.close()


async def open_rows(database_url: str) -> Rows:
    """Rows from the app's SQLAlchemy URL (`sqlite+aiosqlite:///…`, `postgresql+asyncpg://…`)."""
    if database_url.startswith("sqlite"):
        return SqliteRows(database_url.split(":///", 1)[1])
    return await PostgresRows.open(database_url.replace("+asyncpg", "", 1))


async def catalog_page(rows: Rows, first: int) -> dict[str, Any]:
    """The `data` of the catalog page, as Omniorder answers it."""
    products = await rows.products(first)
    variants = await rows.variants([product[0] for product in products]) if products else []
    levels_of: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
    for variant_id, on_hand, reserved, code in (
        await rows.levels([variant[0] for variant in variants]) if variants else []
    ):
        levels_of[variant_id].append(
            {
                "onHand": on_hand,
                "reserved": reserved,
                "available": on_hand - reserved,
                "location": {"code": code},
            }
        )
    variants_of: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
    for variant_id, product_id, sku, cents, currency in variants:
        variants_of[product_id].append(
            {
                "sku": sku,
                "price": {"amount": amount(cents, currency), "currency": currency},
                "stockLevels": levels_of[variant_id],
            }
        )
    edges = [
        {"node": {"id": global_id("Product", id_), "name": name, "variants": variants_of[id_]}}
        for id_, name in products
    ]
    return {"products": {"edges": edges}}


def amount(cents: int, currency: str) -> str:
    return str(Decimal(cents).scaleb(-minor_unit_digits(currency)))


def global_id(type_name: str, id_: int) -> str:
    return base64.b64encode(f"{type_name}:{id_}".encode()).decode()


class ReferenceApp:
    """POST /graphql: the catalog page of `variables.first`; GET /ready: 200."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.rows: Rows | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["path"] == "/graphql" and scope["method"] == "POST" and self.rows:
            request = orjson.loads(await _body(receive))
            data = await catalog_page(self.rows, int(request["variables"]["first"]))
            await _respond(send, 200, orjson.dumps({"data": data}))
        elif scope["path"] == "/ready":
            await _respond(send, 200, b'{"status":"ok"}')
        else:
            await _respond(send, 404, b'{"error":"not found"}')

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.rows = await open_rows(self.database_url)
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.rows is not None:
                    await self.rows.close()
                await send({"type": "lifespan.shutdown.complete"})
                return


async def _body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


async def _respond(send: Send, status: int, body: bytes) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.reference_catalog", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args()
    app = ReferenceApp(os.environ["DATABASE_URL"])
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
