"""The POS catch-up feed: a terminal back from days offline catches up in a few pages."""

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from domain.access import Principal, Role
from domain.commands.inventory import AdjustStock
from domain.model.inventory import AdjustmentReason
from domain.usecases import inventory
from persistence.reads import locations as location_reads
from persistence.reads import pos_feed as pos_feed_reads
from persistence.records import StockMovementRecord, VariantRecord
from persistence.uow import SqlUnitOfWork
from tests.api.test_catalog import CREATE_PRODUCT, UPDATE_PRICE, product_input
from tests.api.test_query_count import add_products, counting_statements

POS_CHANGES = """
query($since: String, $first: Int, $locationCode: String) {
  posChanges(since: $since, first: $first, locationCode: $locationCode) {
    variants { variant { sku price { amount } } productName productStatus updatedAt }
    stockLevels { onHand available location { code } variant { sku } }
    cursor
    hasMore
  }
}"""
FEED_WITH_RELATIONS = """
query($first: Int, $locationCode: String) {
  posChanges(first: $first, locationCode: $locationCode) {
    variants { variant { sku product { name } stockLevels { onHand } } }
    stockLevels { onHand location { code } variant { sku product { name } } }
    cursor
  }
}"""
SET_PRODUCT_STATUS = """
mutation($input: SetProductStatusInput!) {
  setProductStatus(input: $input) {
    product { name status }
    userErrors { field code message }
  }
}"""
ADJUST_STOCK = """
mutation($input: AdjustStockInput!) {
  adjustStock(input: $input) { userErrors { code message } }
}"""
PRODUCT_OF = "query($sku: String!) { variant(sku: $sku) { product { id } } }"
SHOP_SKUS = {"TEE-S", "TEE-M", "MUG"}


# -- helpers ------------------------------------------------------------------------------


def pos(graphql, store="ST-B"):
    return graphql.token(Role.POS, locations=(store,))


async def feed_response(graphql, token, since=None, first=None, location=None):
    variables = {"since": since, "locationCode": location}
    if first is not None:
        variables["first"] = first
    return await graphql.post(POS_CHANGES, variables, token=token)


async def changes(graphql, token, since=None, first=None, location=None):
    body = await feed_response(graphql, token, since, first, location)
    assert "errors" not in body, body["errors"]
    return body["data"]["posChanges"]


async def refusal(graphql, token, since=None, first=None, location=None):
    body = await feed_response(graphql, token, since, first, location)
    assert body["data"] is None
    [error] = body["errors"]
    return error["extensions"]["code"], error["message"]


def skus(page):
    return [entry["variant"]["sku"] for entry in page["variants"]]


def levels(page):
    return {(level["variant"]["sku"], level["location"]["code"]) for level in page["stockLevels"]}


async def adjust(graphql, sku, location, delta):
    reason = "RECEIVED" if delta > 0 else "CORRECTION"
    adjustment = {"sku": sku, "locationCode": location, "delta": delta, "reason": reason}
    data = await graphql.admin(ADJUST_STOCK, {"input": adjustment})
    assert data["adjustStock"]["userErrors"] == []


async def set_status(graphql, sku, status, token=None):
    product_id = (await graphql.admin(PRODUCT_OF, {"sku": sku}))["variant"]["product"]["id"]
    data = await graphql.data(
        SET_PRODUCT_STATUS,
        {"input": {"productId": product_id, "status": status}},
        token=token or graphql.token(Role.ADMIN),
    )
    return data["setProductStatus"]


async def caught_up(graphql, token, location=None):
    """The cursor of a terminal that has seen everything so far."""
    page = await changes(graphql, token, location=location)
    assert not page["hasMore"]
    return page["cursor"]


def forged(**fields):
    text = json.dumps(fields, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


# -- catching up ----------------------------------------------------------------------------


async def test_a_first_call_returns_every_variant_and_every_level_at_the_terminals_store(
    graphql, shop
):
    # when
    page = await changes(graphql, pos(graphql))
    # then
    assert sorted(skus(page)) == sorted(SHOP_SKUS)
    tee = next(e for e in page["variants"] if e["variant"]["sku"] == "TEE-S")
    assert tee["productName"] == "T-shirt"
    assert tee["productStatus"] == "ACTIVE"
    assert tee["variant"]["price"]["amount"] == "19.90"
    assert levels(page) == {(sku, shop.store) for sku in SHOP_SKUS}
    on_hand = {level["variant"]["sku"]: level["onHand"] for level in page["stockLevels"]}
    assert on_hand == {"TEE-S": 3, "TEE-M": 0, "MUG": 4}
    assert page["hasMore"] is False


async def test_a_terminal_never_sees_another_stores_levels(graphql, shop):
    # given a terminal at the other store, caught up
    token = pos(graphql, shop.other_store)
    first = await changes(graphql, token)
    # when stock moves at the first store only
    await adjust(graphql, "TEE-M", shop.store, 7)
    later = await changes(graphql, token, since=first["cursor"])
    # then
    assert levels(first) == {(sku, shop.other_store) for sku in SHOP_SKUS}
    assert later["stockLevels"] == []
    assert await refusal(graphql, token, location=shop.store) == (
        "NOT_FOUND",
        f"location {shop.store} not found",
    )


async def test_the_next_call_returns_exactly_what_changed_since_the_cursor(graphql, shop):
    # given a terminal that has caught up
    token = pos(graphql)
    cursor = await caught_up(graphql, token)
    # when a price changes, a product is added, another is archived, and stock moves at
    # the store (and elsewhere, which the store's terminal does not hear of)
    price = {"sku": "TEE-M", "price": {"amount": "24.00", "currency": "USD"}}
    await graphql.admin(UPDATE_PRICE, {"input": price})
    await graphql.admin(CREATE_PRODUCT, {"input": product_input("Cap", ("CAP-1",))})
    assert (await set_status(graphql, "MUG", "ARCHIVED"))["userErrors"] == []
    await adjust(graphql, "TEE-S", shop.store, 2)
    await adjust(graphql, "TEE-S", shop.warehouse, 2)
    await adjust(graphql, "MUG", shop.other_store, 1)
    page = await changes(graphql, token, since=cursor)
    # then
    assert skus(page) == ["TEE-M", "CAP-1", "MUG"]  # in the order they changed
    by_sku = {entry["variant"]["sku"]: entry for entry in page["variants"]}
    assert by_sku["TEE-M"]["variant"]["price"]["amount"] == "24.00"
    assert by_sku["CAP-1"]["productName"] == "Cap"
    assert by_sku["MUG"]["productStatus"] == "ARCHIVED"
    assert [(level["variant"]["sku"], level["onHand"]) for level in page["stockLevels"]] == [
        ("TEE-S", 5)
    ]
    assert page["hasMore"] is False
    # and nothing is served twice
    again = await changes(graphql, token, since=page["cursor"])
    assert (again["variants"], again["stockLevels"]) == ([], [])


async def test_a_level_that_moved_several_times_is_served_once_with_its_current_value(
    graphql, shop
):
    # given
    token = pos(graphql)
    cursor = await caught_up(graphql, token)
    # when
    for delta in (1, 1, -2, 5):
        await adjust(graphql, "MUG", shop.store, delta)
    page = await changes(graphql, token, since=cursor)
    # then
    assert [(level["variant"]["sku"], level["onHand"]) for level in page["stockLevels"]] == [
        ("MUG", 9)
    ]


async def test_paging_with_a_small_first_walks_everything_once(graphql, database, shop):
    # given a bigger catalog, with stock at the store
    await add_products(database, 4)
    for sku in ("P0-S", "P1-M", "P3-S"):
        await adjust(graphql, sku, shop.store, 2)
    token = pos(graphql)
    everything = await changes(graphql, token)
    # when a terminal starts from nothing, two of each at a time
    pages = await _walk(graphql, token, since=None, first=2)
    # then
    served_skus = [sku for page in pages for sku in skus(page)]
    served_levels = [level for page in pages for level in levels(page)]
    assert all(len(p["variants"]) <= 2 and len(p["stockLevels"]) <= 2 for p in pages)
    assert sorted(served_skus) == sorted(skus(everything)) and len(served_skus) == 11
    assert sorted(served_levels) == sorted(levels(everything)) and len(served_levels) == 11
    assert [page["hasMore"] for page in pages] == [True] * (len(pages) - 1) + [False]
    # and the ledger is paged the same way afterwards
    for sku in ("P2-M", "TEE-M", "P0-M", "MUG", "P2-S"):
        await adjust(graphql, sku, shop.store, 1)
    later = await _walk(graphql, token, since=pages[-1]["cursor"], first=2)
    moved = [sku for page in later for sku, _ in levels(page)]
    assert sorted(moved) == sorted(["P2-M", "TEE-M", "P0-M", "MUG", "P2-S"])
    assert len(later) == 3 and later[-1]["hasMore"] is False


async def _walk(graphql, token, *, since, first):
    pages = []
    while not pages or pages[-1]["hasMore"]:
        pages.append(await changes(graphql, token, since=since, first=first))
        since = pages[-1]["cursor"]
        assert len(pages) < 20, "the feed never ends"
    return pages


async def test_an_empty_result_keeps_the_cursor_usable(graphql, shop):
    # given a terminal that has caught up, and asked again with nothing new
    token = pos(graphql)
    cursor = await caught_up(graphql, token)
    empty = await changes(graphql, token, since=cursor)
    # when something changes
    await adjust(graphql, "TEE-M", shop.store, 1)
    page = await changes(graphql, token, since=empty["cursor"])
    # then
    assert (empty["variants"], empty["stockLevels"], empty["hasMore"]) == ([], [], False)
    assert levels(page) == {("TEE-M", shop.store)}


async def test_archiving_sends_the_products_variants_again_and_setting_the_same_status_does_not(
    graphql, shop
):
    # given
    token = pos(graphql)
    cursor = await caught_up(graphql, token)
    # when
    archived = await set_status(graphql, "TEE-S", "ARCHIVED")
    after_archiving = await changes(graphql, token, since=cursor)
    await set_status(graphql, "TEE-S", "ARCHIVED")
    after_repeating = await changes(graphql, token, since=after_archiving["cursor"])
    # then
    assert archived == {"product": {"name": "T-shirt", "status": "ARCHIVED"}, "userErrors": []}
    assert sorted(skus(after_archiving)) == ["TEE-M", "TEE-S"]
    assert {e["productStatus"] for e in after_archiving["variants"]} == {"ARCHIVED"}
    assert after_repeating["variants"] == []


async def test_only_staff_and_admins_change_a_products_status(graphql, shop):
    # when
    payload = await set_status(graphql, "MUG", "ARCHIVED", token=pos(graphql))
    # then
    assert payload["product"] is None
    assert [e["code"] for e in payload["userErrors"]] == ["FORBIDDEN"]


# -- who may follow which store ---------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.CUSTOMER, None])
async def test_customers_and_anonymous_callers_are_refused(graphql, shop, role):
    token = graphql.token(role, customer=shop.customer) if role else None
    code, _ = await refusal(graphql, token, location=shop.store)
    assert code == "FORBIDDEN"


async def test_staff_and_admins_follow_a_location_they_name_and_work_at(graphql, shop):
    # given
    admin = graphql.token(Role.ADMIN)
    clerk = graphql.token(Role.STAFF, locations=(shop.store,))
    # when
    admin_page = await changes(graphql, admin, location="st-c")
    clerk_page = await changes(graphql, clerk, location=shop.store)
    # then
    assert levels(admin_page) == {(sku, shop.other_store) for sku in SHOP_SKUS}
    assert levels(clerk_page) == {(sku, shop.store) for sku in SHOP_SKUS}
    assert (await refusal(graphql, admin))[0] == "BAD_REQUEST"
    assert (await refusal(graphql, clerk, location=shop.other_store))[0] == "NOT_FOUND"
    assert (await refusal(graphql, admin, location="NOWHERE"))[0] == "NOT_FOUND"


@pytest.mark.parametrize("first", [0, -1, 1001])
async def test_first_must_be_between_1_and_1000(graphql, shop, first):
    assert await refusal(graphql, pos(graphql), first=first) == (
        "BAD_REQUEST",
        f"first must be between 1 and 1000, got {first}",
    )


# -- cursors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "since",
    [
        "",
        "not a cursor",
        "bm90IGpzb24",  # "not json"
        "Y3Vyc29yOjE",  # a connection's cursor
        forged(l=1, c=None),
        forged(l=1, c=None, m=0, x=1),
        forged(l="1", c=None, m=0),
        forged(l=True, c=None, m=0),
        forged(l=1, c=None, m=-1),
        forged(l=1, c=None, m=2**31),
        forged(l=1, c=None, m=1.5),
        forged(l=1, c=[2**62, 1], m=0),
        forged(l=1, c=[0], m=0),
        forged(l=1, c="2026-01-01", m=0),
        forged(l=1, c=None, m=0, w=-1),
        "WzEsMl0",  # [1,2]
        "x" * 5000,
    ],
)
async def test_a_malformed_or_forged_cursor_is_a_clear_error(graphql, shop, since):
    code, message = await refusal(graphql, pos(graphql), since=since)
    assert code == "BAD_REQUEST"
    assert message.startswith("since: not a cursor from posChanges")


async def test_a_cursor_from_another_stores_feed_is_refused(graphql, shop):
    cursor = await caught_up(graphql, pos(graphql, shop.other_store))
    code, message = await refusal(graphql, pos(graphql), since=cursor)
    assert code == "BAD_REQUEST"
    assert "another location" in message


async def test_a_well_formed_cursor_from_the_far_future_finds_nothing(graphql, shop):
    far_future = datetime(9000, 1, 1, tzinfo=UTC) - datetime(1970, 1, 1, tzinfo=UTC)
    since = forged(
        l=await _location_id(graphql, shop.store),
        c=[far_future // timedelta(microseconds=1), 2**31 - 1],
        m=2**31 - 1,
    )
    page = await changes(graphql, pos(graphql), since=since)
    assert (page["variants"], page["stockLevels"], page["hasMore"]) == ([], [], False)


async def _location_id(graphql, code):
    data = await graphql.admin("{ locations { id code } }")
    [global_id] = [loc["id"] for loc in data["locations"] if loc["code"] == code]
    return int(base64.b64decode(global_id).decode().split(":")[1])


# -- the settle window and the cost of a page ----------------------------------------------


async def adjust_stamped(database, sku, location, at):
    command = AdjustStock(sku, location, 1, AdjustmentReason.RECEIVED)
    await inventory.adjust_stock(SqlUnitOfWork(database), Principal.system(), command, at)


async def feed_at(database, location, since, settled_before):
    async with database.read_session() as session:
        store = await location_reads.location_by_code(session, location)
        return await pos_feed_reads.changes_since(
            session,
            store.id,
            since.catalog if since else None,
            since.stock if since else None,
            settled_before=settled_before,
            limit=100,
        )


async def test_changes_younger_than_the_settle_window_wait_for_a_later_call(
    graphql, database, shop
):
    # given a position that has seen everything up to now
    now = datetime.now(UTC)
    start = await feed_at(database, shop.store, None, now)
    # when a price changes, and a sale a terminal made an hour ago is written just now
    price = {"sku": "TEE-S", "price": {"amount": "1.00", "currency": "USD"}}
    await graphql.admin(UPDATE_PRICE, {"input": price})
    await adjust_stamped(database, "MUG", shop.store, now - timedelta(hours=1))
    early = await feed_at(database, shop.store, start, now)
    late = await feed_at(database, shop.store, start, datetime.now(UTC))
    # then they wait out the window, however old the sale
    assert (early.variants, early.levels) == ([], [])
    assert (early.catalog, early.stock) == (start.catalog, start.stock)
    assert [row.sku for row in late.variants] == ["TEE-S"]
    assert [row.on_hand for row in late.levels] == [5]


async def test_the_ledger_is_held_back_at_the_first_movement_that_has_not_settled(database, shop):
    # given a position that has seen everything, then two movements at the store, the
    # first of them written (by a server whose clock runs ahead) after the second
    now = datetime.now(UTC)
    start = await feed_at(database, shop.store, None, now)
    await adjust_stamped(database, "TEE-M", shop.store, now)
    await adjust_stamped(database, "MUG", shop.store, now)
    movement, variant = StockMovementRecord, VariantRecord
    tee_m = select(variant.id).where(variant.sku == "TEE-M").scalar_subquery()
    async with database.writing() as session, session.begin():
        first = await session.scalar(
            select(func.max(movement.id)).where(movement.variant_id == tee_m)
        )
        await session.execute(
            update(movement)
            .where(movement.id == first)
            .values(recorded_at=now + timedelta(minutes=1))
        )
    # when
    held = await feed_at(database, shop.store, start, now + timedelta(seconds=30))
    settled = await feed_at(database, shop.store, start, now + timedelta(minutes=2))
    # then the settled second movement is not served past the first
    assert (held.levels, held.stock) == ([], start.stock)
    assert sorted(row.on_hand for row in settled.levels) == [1, 5]  # TEE-M 0 + 1, MUG 4 + 1


async def test_a_feed_page_costs_a_fixed_number_of_statements(graphql, database, shop):
    # given
    await add_products(database, 12)
    token = pos(graphql)
    for first in (1, 30):
        # when
        with counting_statements(database) as statements:
            data = await graphql.data(FEED_WITH_RELATIONS, {"first": first}, token=token)
        # then: location, variants, ledger end, levels; products, levels of the variants,
        # variants of the levels (and their products, in the same batch or another)
        assert len(data["posChanges"]["variants"]) == min(first, 27)
        assert len(data["posChanges"]["stockLevels"]) == min(first, 27)
        assert len(statements) <= 8
