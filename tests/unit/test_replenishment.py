from domain.model.inventory import StockLevel
from domain.model.replenishment import TransferSuggestion, need, spare, suggest_replenishment

STORE, OTHER_STORE, WH_EAST, WH_WEST = 1, 2, 10, 11
TEE, MUG = 100, 101


def store(variant=TEE, on_hand=1, reserved=0, reorder_point=3, safety_stock=2, location=STORE):
    return StockLevel(
        variant, location, on_hand, reserved, reorder_point=reorder_point, safety_stock=safety_stock
    )


def warehouse(location, on_hand, safety_stock=0, reserved=0, variant=TEE):
    return StockLevel(variant, location, on_hand, reserved, safety_stock=safety_stock)


def moves(suggestions):
    return [(s.variant_id, s.from_location_id, s.to_location_id, s.quantity) for s in suggestions]


def test_a_low_level_needs_to_get_back_to_reorder_point_plus_safety_stock():
    assert need(store(on_hand=1, reorder_point=3, safety_stock=2)) == 4
    assert need(store(on_hand=5, reserved=4, reorder_point=3, safety_stock=2)) == 4


def test_a_level_at_its_reorder_point_with_no_safety_stock_needs_at_least_one():
    assert need(store(on_hand=3, reorder_point=3, safety_stock=0)) == 1


def test_a_warehouse_spares_only_what_is_available_above_its_safety_stock():
    assert spare(warehouse(WH_EAST, on_hand=10, reserved=3, safety_stock=5)) == 2
    assert spare(warehouse(WH_EAST, on_hand=4, safety_stock=5)) == 0


def test_the_warehouse_that_can_spare_the_most_sends_everything_it_can_cover():
    suggestions = suggest_replenishment(
        [store()], [warehouse(WH_EAST, on_hand=6), warehouse(WH_WEST, on_hand=20)]
    )
    assert suggestions == [
        TransferSuggestion(
            variant_id=TEE,
            from_location_id=WH_WEST,
            to_location_id=STORE,
            quantity=4,
            store_available=1,
            reorder_point=3,
            on_the_way=0,
        )
    ]


def test_the_need_is_split_across_warehouses_only_when_one_cannot_cover_it():
    suggestions = suggest_replenishment(
        [store(on_hand=0, reorder_point=5, safety_stock=5)],
        [warehouse(WH_EAST, on_hand=4), warehouse(WH_WEST, on_hand=7, safety_stock=1)],
    )
    assert moves(suggestions) == [(TEE, WH_WEST, STORE, 6), (TEE, WH_EAST, STORE, 4)]


def test_when_warehouses_cannot_cover_the_need_they_send_what_they_can_spare():
    suggestions = suggest_replenishment(
        [store(on_hand=0, reorder_point=5, safety_stock=5)],
        [warehouse(WH_EAST, on_hand=4, safety_stock=1), warehouse(WH_WEST, on_hand=2)],
    )
    assert moves(suggestions) == [(TEE, WH_EAST, STORE, 3), (TEE, WH_WEST, STORE, 2)]


def test_a_warehouse_within_its_safety_stock_is_never_asked():
    suggestions = suggest_replenishment([store()], [warehouse(WH_EAST, 5, safety_stock=5)])
    assert suggestions == []


def test_levels_that_are_not_low_get_nothing():
    healthy = store(on_hand=4, reorder_point=3)
    assert suggest_replenishment([healthy], [warehouse(WH_EAST, 50)]) == []


def test_each_variant_is_sent_from_its_own_warehouse_levels():
    suggestions = suggest_replenishment(
        [store(variant=TEE), store(variant=MUG, on_hand=0, reorder_point=1, safety_stock=0)],
        [warehouse(WH_EAST, 10, variant=TEE), warehouse(WH_WEST, 10, variant=MUG)],
    )
    assert moves(suggestions) == [(TEE, WH_EAST, STORE, 4), (MUG, WH_WEST, STORE, 1)]


def test_units_promised_to_one_store_are_not_promised_to_another():
    suggestions = suggest_replenishment(
        [store(on_hand=0, reorder_point=4, safety_stock=0), store(location=OTHER_STORE)],
        [warehouse(WH_EAST, 6)],
    )
    assert moves(suggestions) == [(TEE, WH_EAST, STORE, 4), (TEE, WH_EAST, OTHER_STORE, 2)]


def test_warehouses_with_equal_spare_are_asked_in_a_fixed_order():
    suggestions = suggest_replenishment([store()], [warehouse(WH_WEST, 2), warehouse(WH_EAST, 2)])
    assert moves(suggestions) == [(TEE, WH_EAST, STORE, 2), (TEE, WH_WEST, STORE, 2)]


def test_units_on_their_way_to_a_store_are_not_sent_again():
    coming = StockLevel(TEE, STORE, 1, 0, in_transit=1, incoming=1, reorder_point=3, safety_stock=2)

    assert need(coming) == 2  # 4 short, 2 of them coming
    assert need(coming, requested=1) == 1
    assert need(coming, requested=5) == 0


def test_a_store_whose_need_is_on_its_way_gets_nothing_and_others_still_do():
    suggestions = suggest_replenishment(
        [store(), store(variant=MUG)],
        [warehouse(WH_EAST, 10), warehouse(WH_EAST, 10, variant=MUG)],
        requested={(TEE, STORE): 4, (MUG, STORE): 1},
    )

    assert moves(suggestions) == [(MUG, WH_EAST, STORE, 3)]
    assert suggestions[0].on_the_way == 1
