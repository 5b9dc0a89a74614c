import pytest

from domain.access import Principal, Role
from domain.errors import InvalidInput
from domain.model.boms import (
    MAX_UNITS,
    Component,
    ExplodedComponent,
    explode,
    find_cycle,
    leaf_requirements,
    may_read,
    require_no_cycle,
    topological_order,
    validate_components,
)

TABLE, LEG, TOP, SCREW, DOWEL, GLUE = 1, 2, 3, 4, 5, 6


def c(variant_id: int, quantity: int) -> Component:
    sku = {TABLE: "TABLE", LEG: "LEG", TOP: "TOP", SCREW: "SCREW", DOWEL: "DOWEL", GLUE: "GLUE"}
    return Component(variant_id, sku[variant_id], quantity)


# A TABLE is 4 LEG, 1 TOP and 8 SCREW; a LEG is 2 DOWEL and 1 GLUE; a TOP is 6 DOWEL.
STRUCTURE = {
    TABLE: [c(LEG, 4), c(TOP, 1), c(SCREW, 8)],
    LEG: [c(DOWEL, 2), c(GLUE, 1)],
    TOP: [c(DOWEL, 6)],
}


# -- the shape of one bill ---------------------------------------------------------------


def test_a_well_formed_bill_passes():
    validate_components("TABLE", [("LEG", 4), ("TOP", 1)])


@pytest.mark.parametrize(
    ("components", "field"),
    [
        ([("TABLE", 1)], "components.0.sku"),
        ([("LEG", 1), ("LEG", 2)], "components.1.sku"),
        ([("LEG", 0)], "components.0.quantity"),
        ([("LEG", -3)], "components.0.quantity"),
        ([("LEG", 10_001)], "components.0.quantity"),
        ([(f"P{i}", 1) for i in range(101)], "components"),
    ],
    ids=["itself", "twice", "zero", "negative", "too-many-per-unit", "too-many-components"],
)
def test_a_bill_that_breaks_a_rule_is_refused(components, field):
    with pytest.raises(InvalidInput) as refused:
        validate_components("TABLE", components)
    assert refused.value.field == field


def test_an_empty_bill_is_well_formed_it_removes_the_bill():
    validate_components("TABLE", [])


# -- cycles ------------------------------------------------------------------------------


def test_a_component_that_contains_the_variant_closes_a_cycle():
    assert find_cycle(LEG, "LEG", [c(TABLE, 1)], STRUCTURE) == ["LEG", "TABLE", "LEG"]


def test_a_cycle_through_several_levels_is_found_with_its_whole_path():
    cycle = find_cycle(DOWEL, "DOWEL", [c(SCREW, 1), c(TABLE, 1)], STRUCTURE)
    assert cycle == ["DOWEL", "TABLE", "LEG", "DOWEL"]


def test_a_shared_component_is_not_a_cycle():
    # DOWEL sits under LEG and TOP; a new bill for TABLE reaching it twice is fine.
    assert find_cycle(TABLE, "TABLE", [c(LEG, 4), c(TOP, 1), c(DOWEL, 3)], STRUCTURE) is None


def test_the_new_bill_replaces_the_old_one_when_looking_for_cycles():
    # LEG's old bill holds DOWEL; DOWEL's new bill holds LEG only through the new LEG bill.
    structure = {**STRUCTURE, DOWEL: [c(GLUE, 1)]}
    assert find_cycle(LEG, "LEG", [c(GLUE, 2)], structure) is None
    assert find_cycle(LEG, "LEG", [c(DOWEL, 2)], {DOWEL: [c(LEG, 1)]}) == ["LEG", "DOWEL", "LEG"]


def test_a_cycle_is_refused_as_invalid_input_naming_it():
    with pytest.raises(InvalidInput, match="TABLE → LEG → TABLE") as refused:
        require_no_cycle(TABLE, "TABLE", [c(LEG, 1)], {LEG: [c(TABLE, 1)]})
    assert refused.value.field == "components"


# -- explosion ---------------------------------------------------------------------------


def test_a_variant_comes_before_every_component_below_it():
    order = topological_order([TABLE], STRUCTURE)
    assert order[0] == TABLE
    assert order.index(DOWEL) > max(order.index(LEG), order.index(TOP))
    assert set(order) == {TABLE, LEG, TOP, SCREW, DOWEL, GLUE}


def test_explosion_lists_every_component_once_with_units_over_every_path():
    exploded = explode(TABLE, 3, STRUCTURE)

    assert exploded == [
        ExplodedComponent(LEG, "LEG", 12, 1, True),
        ExplodedComponent(SCREW, "SCREW", 24, 1, False),
        ExplodedComponent(TOP, "TOP", 3, 1, True),
        ExplodedComponent(DOWEL, "DOWEL", 12 * 2 + 3 * 6, 2, False),
        ExplodedComponent(GLUE, "GLUE", 12, 2, False),
    ]


def test_a_component_found_at_several_depths_sits_at_the_deepest():
    structure = {**STRUCTURE, TABLE: [*STRUCTURE[TABLE], c(DOWEL, 1)]}

    dowel = next(e for e in explode(TABLE, 1, structure) if e.sku == "DOWEL")

    assert (dowel.level, dowel.quantity) == (2, 1 + 4 * 2 + 6)


def test_leaf_requirements_are_the_bought_components_only():
    assert leaf_requirements(TABLE, 2, STRUCTURE) == {"SCREW": 16, "DOWEL": 28, "GLUE": 8}


def test_exploding_an_intermediate_starts_from_it():
    assert leaf_requirements(LEG, 5, STRUCTURE) == {"DOWEL": 10, "GLUE": 5}


def test_a_variant_without_a_bill_explodes_to_nothing():
    assert explode(SCREW, 10, STRUCTURE) == []


def test_a_diamond_of_many_levels_explodes_in_one_step_per_component():
    # Each level is two parts, each made of one of both parts of the next level: 2**25
    # paths to the bottom, yet one step per part.
    depth = 25
    structure = {
        part: [
            Component(2 * level + 2, f"A{level + 1}", 1),
            Component(2 * level + 3, f"B{level + 1}", 1),
        ]
        for level in range(depth)
        for part in (2 * level, 2 * level + 1)
    }

    exploded = explode(0, 1, structure)

    assert len(exploded) == 2 * depth
    assert [e.quantity for e in exploded if e.level == depth] == [2 ** (depth - 1)] * 2


def test_an_explosion_needing_more_than_the_limit_is_refused():
    structure = {TABLE: [c(LEG, 10_000)], LEG: [c(DOWEL, 10_000)]}

    with pytest.raises(InvalidInput, match="DOWEL"):
        explode(TABLE, MAX_UNITS // 10**8 + 1, structure)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(Role.ADMIN, True), (Role.STAFF, True), (Role.POS, False), (Role.CUSTOMER, False)],
)
def test_only_staff_and_admins_read_bills(role, allowed):
    assert may_read(Principal(role=role)) is allowed
    assert may_read(Principal.anonymous()) is False
