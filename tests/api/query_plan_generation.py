"""Queries hypothesis-graphql writes for the query-plan equivalence tests, with arguments
that mostly name what the seeded shop holds.

hypothesis-graphql writes documents valid against the whole schema, with values drawn per
scalar type (`custom_scalars`): an ID is mostly one of the shop's global ids, a String
one of its SKUs, codes, emails or cursors. It does not say which argument a value is for,
so a second pass puts the right kind of value into the arguments known by name (a cursor
into `after` or `before`, a location code into `locationCode`, a window holding the
seeding into `from` and `to`, a time into `updatedSince`), most of the time: the rest stay
as drawn, and are refused alike by both engines. A connection's paging arguments are one
choice: mostly a page one way, forwards (`first`/`after`) or backwards (`last`/`before`),
with a page size and a cursor. Without this, most queries would be refused before
reading anything.
"""

from __future__ import annotations

import base64
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import graphql
from hypothesis import strategies as st
from hypothesis_graphql import nodes
from hypothesis_graphql import strategies as gql_st

from api.schema import schema as app_schema
from tests.api.query_plan_documents import Known

SCHEMA = app_schema.as_str()
_QUERY_TYPE = graphql.build_schema(SCHEMA).query_type
assert _QUERY_TYPE is not None
ROOT_FIELDS = sorted(_QUERY_TYPE.fields)


def _global_id(type_name: str, key: object) -> str:
    return base64.b64encode(f"{type_name}:{key}".encode()).decode()


# Ids that name nothing: unknown keys, unknown types, not base64 at all.
GARBAGE_IDS = [_global_id("Order", 9999), _global_id("Product", 0), _global_id("Nope", 1)]
GARBAGE_IDS += ["", "not-an-id", _global_id("Order", "x")]
SKUS = ["TEE-S", "TEE-M", "MUG", "HOOD-S", "HOOD-M", "HOOD-L"]
LOCATIONS = ["WH-A", "ST-B", "ST-C"]
COUNTRIES = ["FR", "de", "GB", "US"]  # two zones' countries (any case), and one in none
SIZES = ["XS", "S", "M", "L"]  # the hoodie's Size option (query_plan_documents.seed)
EMAILS = ["ada@example.com", "bob@example.com"]
# Ends of report windows and the like, around the seeding (which is now), and not a time.
# `from` and `to` (the second and third) hold the seeding in under 400 days, the longest
# window a report by day takes.
_NOW = datetime.now(UTC).replace(microsecond=0)
MOMENTS = ["2020-01-01T00:00:00Z", (_NOW - timedelta(days=180)).isoformat()]
MOMENTS += [(_NOW + timedelta(days=180)).astimezone(timezone(timedelta(hours=2))).isoformat()]
MOMENTS += ["2099-12-31T00:00:00Z", "x"]
PAGE_SIZES = [2, 5, 10, 20, 100]
# How often an argument known by name keeps the value drawn for its type.
KEEP_DRAWN = 0.15
FORWARDS, BACKWARDS = ("first", "after"), ("last", "before")
PAGING = FORWARDS + BACKWARDS
# How often a connection keeps the paging arguments drawn: mostly both ways at once or a
# value of the wrong kind, so refused; rarer than KEEP_DRAWN, as a document holds many
# connections, most with all four arguments.
KEEP_DRAWN_PAGING = 0.03


def custom_scalars(known: Known) -> dict[str, st.SearchStrategy[Any]]:
    """Values for every scalar an argument may take, most of them naming what the shop has."""
    return {
        "ID": st.one_of(
            st.sampled_from(known.ids), st.sampled_from(known.ids), st.sampled_from(GARBAGE_IDS)
        ).map(nodes.String),
        "String": st.one_of(
            st.sampled_from(SKUS + LOCATIONS + EMAILS),
            st.sampled_from(known.cursors),
            st.text(max_size=4),
        ).map(nodes.String),
        "Int": st.sampled_from([*PAGE_SIZES, 0, -1, 101]).map(nodes.Int),
        "Decimal": st.one_of(
            st.decimals(-1_000, 1_000, places=2).map(str), st.sampled_from(["NaN", "x", "1e9"])
        ).map(nodes.String),
        "Date": st.dates().map(lambda day: nodes.String(day.isoformat())),
        "DateTime": st.sampled_from(MOMENTS).map(nodes.String),
        "UUID": st.uuids().map(nodes.String),
    }


def _value_for(name: str, known: Known, rnd: random.Random) -> str | int | None:
    """A value of the right kind for an argument or input field called `name`, or None
    to keep the drawn one."""
    if rnd.random() < KEEP_DRAWN:
        return None
    if name == "since":
        return rnd.choice(known.cursors)
    if name == "sku" or name == "skus":
        return rnd.choice(SKUS)
    if name in ("code", "storeCode") or name.endswith(("locationCode", "LocationCode")):
        return rnd.choice(LOCATIONS)
    if name in ("email", "customerEmail"):
        return rnd.choice(EMAILS)
    if name == "currency":
        return "USD"
    if name == "country":
        return rnd.choice(COUNTRIES)
    if name == "name":  # of a selected option (variantBySelectedOptions)
        return "Size"
    if name == "value":
        return rnd.choice(SIZES)
    if name == "updatedSince":
        return rnd.choice(MOMENTS[:-1])
    if name == "from":
        return MOMENTS[1]
    if name == "to":
        return MOMENTS[2]
    return None


def _with_known(
    node: graphql.ValueNode, name: str, known: Known, rnd: random.Random
) -> graphql.ValueNode:
    if isinstance(node, graphql.ObjectValueNode):
        fields = tuple(
            replace(f, value=_with_known(f.value, f.name.value, known, rnd)) for f in node.fields
        )
        return replace(node, fields=fields)
    if isinstance(node, graphql.ListValueNode):
        return replace(node, values=tuple(_with_known(v, name, known, rnd) for v in node.values))
    if not isinstance(node, graphql.StringValueNode | graphql.IntValueNode):
        return node
    value = _value_for(name, known, rnd)
    # Documents are valid, so an argument of a known name holds the type its values are
    # of: an Int for counts, a String for the rest.
    if value is None or isinstance(value, int) != isinstance(node, graphql.IntValueNode):
        return node
    return nodes.Int(value) if isinstance(value, int) else nodes.String(value)


def _paging(
    arguments: tuple[graphql.ArgumentNode, ...], known: Known, rnd: random.Random
) -> tuple[graphql.ArgumentNode, ...]:
    """A connection's paging arguments, one choice for them all: as drawn, now and then
    (often refused), else one way, forwards or backwards, with a page size and a cursor
    of the shop (those of the other way dropped: paging both ways at once is refused)."""
    if not any(a.name.value in PAGING for a in arguments) or rnd.random() < KEEP_DRAWN_PAGING:
        return arguments
    way = FORWARDS if rnd.random() < 0.5 else BACKWARDS
    return tuple(
        a
        if a.name.value not in PAGING
        else replace(
            a,
            value=nodes.Int(rnd.choice(PAGE_SIZES))
            if a.name.value in ("first", "last")
            else nodes.String(rnd.choice(known.cursors)),
        )
        for a in arguments
        if a.name.value not in PAGING or a.name.value in way
    )


def _selections_with_known(
    selection_set: graphql.SelectionSetNode, known: Known, rnd: random.Random
) -> graphql.SelectionSetNode:
    selections = []
    for selection in selection_set.selections:
        if isinstance(selection, graphql.FieldNode):
            arguments = tuple(
                a
                if a.name.value in PAGING
                else replace(a, value=_with_known(a.value, a.name.value, known, rnd))
                for a in _paging(selection.arguments or (), known, rnd)
            )
            selection = replace(selection, arguments=arguments)
        if (
            isinstance(selection, graphql.FieldNode | graphql.InlineFragmentNode)
            and selection.selection_set is not None
        ):
            inner = _selections_with_known(selection.selection_set, known, rnd)
            selection = replace(selection, selection_set=inner)
        selections.append(selection)
    return replace(selection_set, selections=tuple(selections))


def aliased_together(documents: list[str], known: Known) -> str:
    """One query of the root fields of `documents` (one each), aliased a0, a1, …, with
    known values put into their arguments: bigger documents than hypothesis-graphql
    writes alone, and the same field read several ways in one response."""
    selections = []
    rnd = random.Random("\n".join(documents))
    for number, document in enumerate(documents):
        operation = graphql.parse(document).definitions[0]
        assert isinstance(operation, graphql.OperationDefinitionNode)
        [root] = operation.selection_set.selections
        assert isinstance(root, graphql.FieldNode)
        selections.append(replace(root, alias=graphql.NameNode(value=f"a{number}")))
    selection_set = graphql.SelectionSetNode(selections=tuple(selections))
    operation = graphql.OperationDefinitionNode(
        operation=graphql.OperationType.QUERY,
        selection_set=_selections_with_known(selection_set, known, rnd),
    )
    return graphql.print_ast(graphql.DocumentNode(definitions=(operation,)))


def generated_queries(known: Known) -> st.SearchStrategy[str]:
    """Queries of one root field, any of them, read two to five ways (so that a caller
    either may read what a query asks or not, rather than nearly never all of it)."""
    scalars = custom_scalars(known)
    by_field = {
        name: gql_st.queries(SCHEMA, fields=[name], custom_scalars=scalars) for name in ROOT_FIELDS
    }
    return (
        st.sampled_from(ROOT_FIELDS)
        .flatmap(lambda name: st.lists(by_field[name], min_size=2, max_size=5))
        .map(lambda documents: aliased_together(documents, known))
    )
