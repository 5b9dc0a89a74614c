"""GraphQL documents and a month and a half of known trade for the sales insight tests.

The trade (all times UTC, 2025), placed through the use cases with a chosen `now`:

    02-01        stock received: WH-A TEE-S 10, TEE-M 10, SCARF 5; ST-B TEE-S 5, MUG 10
    03-03 10:00  O1 WEB, TEE-S x2 (WH-A) + MUG x1 (ST-B), 49.30 USD; shipped 03-04
    03-05 12:00  O3 WEB, SCARF x2 (WH-A), 50.00 EUR; PENDING
    03-09 23:30  O2 MOBILE (a Sunday night), TEE-M x3 (WH-A), 59.70 USD; shipped 03-10
    03-15 12:00  O6 POS counter sale at ST-B (syncPosSales), MUG x6 at 9.00, 54.00 USD
    03-20 15:00  1 TEE-S of O1 received back at ST-B (restocked), 19.90 USD; refunded 03-21
    03-31 23:59  O4 WEB, TEE-S x1, cancelled at once
    04-01 00:00  O5 WEB, TEE-S x10 split: 8 at WH-A + 2 at ST-B, 199.00 USD; PENDING
    04-10 10:00  O7 WHOLESALE, TEE-M x12: 7 at WH-A, 5 backordered, 238.80 USD; BACKORDERED

TEE-S and TEE-M belong to the product T-shirt (19.90 USD), MUG to Mug (9.50 USD), SCARF to
Scarf (25.00 EUR).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from api.payments.manual import ManualGateway
from domain.access import Principal, Role
from domain.commands.catalog import CreateProduct, NewVariant
from domain.commands.inventory import AdjustStock
from domain.commands.ordering import ChangeOrderStatus, OrderLineRequest, PlaceOrder, ShipOrder
from domain.commands.returns import ChangeReturnStatus, ReceiveReturn, RefundReturn, RequestReturn
from domain.model.addresses import Address
from domain.model.inventory import AdjustmentReason
from domain.model.locations import ChannelCode
from domain.model.orders import FulfilmentMethod, ShipRequest
from domain.model.returns import ReceiptLine, ReturnDisposition, ReturnRequest
from domain.payment_gateway import PaymentGateways
from domain.usecases import catalog, inventory, ordering, returns
from persistence.database import Database
from persistence.uow import SqlUnitOfWork
from tests.api.conftest import GraphQL, Shop
from tests.api.pos_documents import register, sale, sync
from tests.api.wholesale_documents import assign_group, create_group, customer_by_email

FIGURES = "currency orders units revenue { amount } returns { amount } netRevenue { amount }"
SALES_REPORT = f"""
query Sales($from: DateTime!, $to: DateTime!, $groupBy: SalesGrouping!, $currency: String) {{
  salesReport(from: $from, to: $to, groupBy: $groupBy, currency: $currency) {{
    groupBy from to
    rows {{ key {{ label periodStart channel locationCode productName }} {FIGURES} }}
    totals {{ {FIGURES} }}
  }}
}}"""
REPORT_NODES = """
query Nodes($from: DateTime!, $to: DateTime!, $groupBy: SalesGrouping!) {
  salesReport(from: $from, to: $to, groupBy: $groupBy) {
    rows { key { label location { code kind } product { name } } }
  }
}"""
TOP_PRODUCTS = """
query Top($from: DateTime!, $to: DateTime!, $first: Int, $by: ProductRanking, $currency: String) {
  topProducts(from: $from, to: $to, first: $first, by: $by, currency: $currency) {
    rank productName currency orders units revenue { amount } product { name }
  }
}"""
TURNOVER = """
query Turnover($from: DateTime!, $to: DateTime!, $locationCode: String, $first: Int) {
  inventoryTurnover(from: $from, to: $to, locationCode: $locationCode, first: $first) {
    sku unitsSold openingOnHand closingOnHand averageOnHand onHand available turnover
    daysOfCover variant { sku } location { code }
  }
}"""

MARCH_AND_APRIL = {"from": "2025-03-01T00:00:00Z", "to": "2025-05-01T00:00:00Z"}
MARCH = {"from": "2025-03-01T00:00:00Z", "to": "2025-04-01T00:00:00Z"}
SYSTEM = Principal.system("test-setup")


def at(moment: str) -> datetime:
    return datetime.fromisoformat(moment).replace(tzinfo=UTC)


async def report(graphql: GraphQL, group_by: str, period=MARCH_AND_APRIL, **extra) -> dict:
    variables = {**period, "groupBy": group_by, **extra}
    return (await graphql.admin(SALES_REPORT, variables))["salesReport"]


def figures(row: dict[str, Any]) -> tuple:
    """(label, currency, orders, units, revenue, returns, net revenue) of a row or total."""
    return (
        row["key"]["label"] if "key" in row else None,
        row["currency"],
        row["orders"],
        row["units"],
        row["revenue"]["amount"],
        row["returns"]["amount"],
        row["netRevenue"]["amount"],
    )


class Trade:
    """Places the known trade through the use cases, each step at its own time."""

    def __init__(self, database: Database, graphql: GraphQL, shop: Shop) -> None:
        self.database = database
        self.graphql = graphql
        self.shop = shop

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.database)

    async def place(
        self, when: str, channel: ChannelCode, *lines: tuple[str, int], **extra: Any
    ) -> int:
        command = PlaceOrder(
            channel=channel,
            fulfilment=FulfilmentMethod.SHIPPING,
            shipping_address=Address(
                line1="1 Main Street", city="Springfield", postal_code="62701", country="US"
            ),
            lines=tuple(OrderLineRequest(sku, quantity) for sku, quantity in lines),
            **extra,
        )
        order = await ordering.place_order(self.uow(), SYSTEM, command, at(when))
        assert order.id is not None
        return order.id

    async def ship(self, order_id: int, when: str, *lines: tuple[str, int]) -> None:
        await ordering.confirm_order(self.uow(), SYSTEM, ChangeOrderStatus(order_id), at(when))
        requests = tuple(ShipRequest(sku, quantity) for sku, quantity in lines)
        command = ShipOrder(order_id, requests, "UPS", f"1Z{order_id}")
        ship = ordering.ship_order(PaymentGateways({"manual": ManualGateway()}))
        await ship(self.uow(), SYSTEM, command, at(when))

    async def take_back(self, order_id: int, sku: str, store: str, when: str) -> None:
        request = RequestReturn(order_id, (ReturnRequest(sku, 1),))
        rma = await returns.request_return(self.uow(), SYSTEM, request, at(when))
        assert rma.id is not None
        step = ChangeReturnStatus(rma.id)
        await returns.approve_return(self.uow(), SYSTEM, step, at(when))
        receipt = ReceiveReturn(rma.id, store, (ReceiptLine(sku, 1, ReturnDisposition.RESTOCK),))
        await returns.receive_return(self.uow(), SYSTEM, receipt, at("2025-03-20T15:00:00"))
        refund = returns.refund_return(PaymentGateways({"manual": ManualGateway()}))
        await refund(self.uow(), SYSTEM, RefundReturn(rma.id), at("2025-03-21T09:00:00"))

    async def sell_at_the_counter(self) -> None:
        terminal = await register(self.graphql, self.shop.store)
        counter_sale = sale(("MUG", 6, "9.00"), when="2025-03-15T12:00:00+00:00")
        assert (await sync(self.graphql, terminal["token"], counter_sale))["accepted"] == 1

    async def run(self) -> None:
        await catalog.create_product(
            self.uow(),
            SYSTEM,
            CreateProduct("Scarf", (NewVariant("SCARF", "Scarf", Decimal("25.00"), "EUR"),)),
        )
        received = [("TEE-S", "WH-A", 10), ("TEE-M", "WH-A", 10), ("SCARF", "WH-A", 5)]
        received += [("TEE-S", "ST-B", 5), ("MUG", "ST-B", 10)]
        for sku, location, quantity in received:
            command = AdjustStock(sku, location, quantity, AdjustmentReason.RECEIVED)
            await inventory.adjust_stock(self.uow(), SYSTEM, command, at("2025-02-01T00:00:00"))
        await create_group(self.graphql)  # so that Ada may buy WHOLESALE
        ada = await customer_by_email(self.graphql, self.shop.customer)
        await assign_group(self.graphql, ada["id"])

        web, mobile = ChannelCode.WEB, ChannelCode.MOBILE
        o1 = await self.place("2025-03-03T10:00:00", web, ("TEE-S", 2), ("MUG", 1))
        await self.ship(o1, "2025-03-04T09:00:00", ("TEE-S", 2), ("MUG", 1))
        await self.place("2025-03-05T12:00:00", web, ("SCARF", 2))
        o2 = await self.place("2025-03-09T23:30:00", mobile, ("TEE-M", 3))
        await self.ship(o2, "2025-03-10T08:00:00", ("TEE-M", 3))
        await self.sell_at_the_counter()
        await self.take_back(o1, "TEE-S", self.shop.store, "2025-03-19T10:00:00")
        o4 = await self.place("2025-03-31T23:59:59", web, ("TEE-S", 1))
        command = ChangeOrderStatus(o4)
        cancel = ordering.cancel_order(PaymentGateways({"manual": ManualGateway()}))
        await cancel(self.uow(), SYSTEM, command, at("2025-03-31T23:59:59.5"))
        await self.place("2025-04-01T00:00:00", web, ("TEE-S", 10))
        await self.place(
            "2025-04-10T10:00:00",
            ChannelCode.WHOLESALE,
            ("TEE-M", 12),
            customer_email=self.shop.customer,
            allow_backorder=True,
        )


async def as_admin(graphql: GraphQL, document: str, variables: dict) -> dict:
    """The whole response (data and errors) to an ADMIN."""
    return await graphql.post(document, variables, token=graphql.token(Role.ADMIN))


def staff(graphql: GraphQL, *locations: str) -> str:
    return graphql.token(Role.STAFF, locations=locations)
