"""What pricing reads of promotions, and how a voucher's uses are counted, on SQLite and
PostgreSQL: SqlPromotionRepository driven through the unit of work the app builds.

Promotions, codes, categories and orders are set up through GraphQL, as a shop would; the
repository is then called as placeOrder calls it, one unit of work per order. Redemptions
race with asyncio.gather: on PostgreSQL the voucher's row lock and the guarded count are
what keep twelve orders from using a code of five uses more than five times.
"""

import asyncio
import base64
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from domain.model.locations import ChannelCode
from persistence.records import VoucherRedemptionRecord
from persistence.uow import SqlUnitOfWork
from tests.api.categories_documents import (
    create_category,
    create_collection,
    product_ids,
    set_collection,
    set_product_categories,
)
from tests.api.conftest import add_stock
from tests.api.orders_documents import place, shipping_order
from tests.api.test_promotions import add_codes, created, update


def key_of(global_id: str) -> int:
    return int(base64.b64decode(global_id).decode().partition(":")[2])


async def place_orders(graphql, database, count: int) -> list[int]:
    """`count` orders of one mug each, placed through the API; their keys."""
    await add_stock(database, {("MUG", "WH-A"): count})
    keys = []
    for _ in range(count):
        payload = await place(graphql, shipping_order(("MUG", 1)))
        assert payload["userErrors"] == [], payload["userErrors"]
        keys.append(key_of(payload["order"]["id"]))
    return keys


async def customer_key(database, email: str) -> int:
    async with SqlUnitOfWork(database) as uow:
        customer = await uow.customers.by_email(email)
    assert customer is not None and customer.id is not None
    return customer.id


async def voucher_named(database, code: str):
    async with SqlUnitOfWork(database) as uow:
        return (await uow.promotions.vouchers([code]))[code]


async def redeem(database, voucher, order_id: int, customer_id: int | None) -> bool:
    """One order's use of `voucher`, in a transaction of its own, as placeOrder makes it."""
    async with SqlUnitOfWork(database) as uow:
        counted = await uow.promotions.redeem(voucher, order_id, customer_id)
        await uow.commit()
    return counted


async def redemptions(database) -> int:
    async with SqlUnitOfWork(database) as uow:
        return (
            await uow.session.scalar(select(func.count()).select_from(VoucherRedemptionRecord)) or 0
        )


async def test_twelve_concurrent_orders_use_a_code_of_five_uses_exactly_five_times(
    graphql, database, shop
):
    # given
    await created(graphql, voucherCodes=[{"code": "FIVE-ONLY", "usageLimit": 5}])
    orders = await place_orders(graphql, database, 12)
    voucher, _ = await voucher_named(database, "FIVE-ONLY")
    customers = [await customer_key(database, e) for e in (shop.customer, shop.other_customer)]
    # when
    counted = await asyncio.gather(
        *(redeem(database, voucher, order, customers[i % 2]) for i, order in enumerate(orders))
    )
    # then
    assert sorted(counted) == [False] * 7 + [True] * 5
    used, _ = await voucher_named(database, "FIVE-ONLY")
    assert used.used == 5
    assert await redemptions(database) == 5


async def test_a_code_of_one_use_per_customer_counts_one_of_its_concurrent_uses(
    graphql, database, shop
):
    # given
    await created(graphql, voucherCodes=[{"code": "ONCE-EACH", "perCustomerLimit": 1}])
    orders = await place_orders(graphql, database, 12)
    voucher, _ = await voucher_named(database, "ONCE-EACH")
    ada = await customer_key(database, shop.customer)
    bob = await customer_key(database, shop.other_customer)
    # when
    counted = await asyncio.gather(*(redeem(database, voucher, order, ada) for order in orders))
    then_bob = await redeem(database, voucher, orders[0], bob)
    # then
    assert counted.count(True) == 1
    assert then_bob
    used, _ = await voucher_named(database, "ONCE-EACH")
    assert used.used == 2
    assert await redemptions(database) == 2


async def test_a_used_up_code_counts_no_more_uses(graphql, database, shop):
    # given
    await created(graphql, voucherCodes=[{"code": "SINGLE", "usageLimit": 1}])
    first, second = await place_orders(graphql, database, 2)
    voucher, _ = await voucher_named(database, "SINGLE")
    # when
    once = await redeem(database, voucher, first, None)
    twice = await redeem(database, voucher, second, None)
    # then
    assert (once, twice) == (True, False)
    assert (await voucher_named(database, "SINGLE"))[0].used == 1


async def test_automatic_promotions_are_the_active_ones_without_codes_running_now(
    graphql, database
):
    # given
    now = datetime.now(UTC)
    running = await created(graphql, name="Running", channels=["WEB", "POS"])
    await created(graphql, name="POS only", channels=["POS"])
    await created(graphql, name="With a code", voucherCodes=[{"code": "CODED"}])
    later = await created(graphql, name="Later", startsAt=(now + timedelta(days=1)).isoformat())
    await created(graphql, name="Over", endsAt=(now - timedelta(seconds=1)).isoformat())
    await created(graphql, name="Was coded")
    stopped = await created(graphql, name="Stopped")
    await update(graphql, stopped["id"], active=False)
    was_coded = (await created(graphql, name="Then coded"))["id"]
    await add_codes(graphql, was_coded, {"code": "LATER-CODE"})
    # when
    async with SqlUnitOfWork(database) as uow:
        on_web = await uow.promotions.automatic(ChannelCode.WEB, now)
        tomorrow = await uow.promotions.automatic(ChannelCode.WEB, now + timedelta(days=2))
    # then
    assert [p.name for p in on_web] == ["Running", "Was coded"]
    assert on_web[0].id == key_of(running["id"])
    assert on_web[0].channels == (ChannelCode.WEB, ChannelCode.POS)
    assert [p.name for p in tomorrow] == ["Running", "Later", "Was coded"]
    assert key_of(later["id"]) in {p.id for p in tomorrow}


async def test_vouchers_are_found_by_code_with_their_promotion(graphql, database, shop):
    # given
    products = await product_ids(graphql)
    await created(
        graphql,
        name="Mugs",
        kind="FIXED_AMOUNT",
        value="1.5",
        currency="USD",
        productIds=[products["Mug"]],
        voucherCodes=[{"code": "MUGS", "usageLimit": 3, "perCustomerLimit": 1}],
    )
    # when
    async with SqlUnitOfWork(database) as uow:
        found = await uow.promotions.vouchers(["MUGS", "NOPE"])
        nothing = await uow.promotions.vouchers([])
    # then
    assert list(found) == ["MUGS"] and nothing == {}
    voucher, promotion = found["MUGS"]
    assert (voucher.usage_limit, voucher.per_customer_limit, voucher.used) == (3, 1, 0)
    assert voucher.promotion_id == promotion.id
    assert promotion.needs_voucher and str(promotion.value) == "1.50"
    assert promotion.product_ids == {key_of(products["Mug"])}


async def test_a_products_targets_are_its_categories_with_their_ancestors_and_collections(
    graphql, database, shop
):
    # given
    products = await product_ids(graphql)
    clothing = await create_category(graphql, "Clothing")
    tops = await create_category(graphql, "Tops", parentId=clothing["id"])
    tees = await create_category(graphql, "Tees", parentId=tops["id"])
    gifts = await create_category(graphql, "Gifts")
    await set_product_categories(graphql, products["T-shirt"], tees["id"], gifts["id"])
    picks = await create_collection(graphql, "Picks")
    await set_collection(graphql, picks["id"], [products["T-shirt"]], ["WEB"])
    tee, mug = key_of(products["T-shirt"]), key_of(products["Mug"])
    # when
    async with SqlUnitOfWork(database) as uow:
        targets = await uow.promotions.targets_of([tee, mug, tee])
    # then
    categories = {key_of(c["id"]) for c in (clothing, tops, tees, gifts)}
    assert targets[tee].category_ids == categories
    assert targets[tee].collection_ids == {key_of(picks["id"])}
    assert targets[mug].category_ids == frozenset() == targets[mug].collection_ids
