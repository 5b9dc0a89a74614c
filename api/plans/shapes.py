"""What a plan is made of: for each object type selected, the fields to fill, and for each
field how its value is read and completed."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graphql import GraphQLField, GraphQLObjectType
from graphql.execution.collect_fields import FieldDetails
from graphql.language import FieldNode
from graphql.pyutils import Path

if TYPE_CHECKING:
    from api.plans.runner import Level


class FieldKind(enum.Enum):
    TYPENAME = "typename"  # `__typename`: the parent type's name
    ATTRIBUTE = "attribute"  # a plain field: the attribute of the same (Python) name
    NODE_ID = "node_id"  # relay's `id`, made from the type name and the NodeID attribute
    RESOLVER = "resolver"  # everything else, through Strawberry's resolver machinery


# Completes a field's value into its JSON value: (value, path, level) -> completed. An
# object becomes a dict, filled at once or queued on the level to be filled at the next.
# `path` is None where nothing below needs it.
Completer = Callable[[Any, Path | None, "Level"], Any]


@dataclass(eq=False, slots=True)
class FieldPlan:
    key: str  # the response key (the alias, or the field's name)
    kind: FieldKind
    parent_type: GraphQLObjectType
    definition: GraphQLField | None  # None for __typename
    details: list[FieldDetails]
    complete: Completer
    attribute: str = ""  # ATTRIBUTE: what to read; NODE_ID: the attribute behind the id
    node_class: type | None = None  # NODE_ID: the class whose ids are made directly
    has_arguments: bool = False
    # RESOLVER: the resolver itself, called as Strawberry would call it, when Strawberry's
    # machinery would add nothing (no arguments, exception handlers, or extensions but a
    # permission check on the caller).
    direct: Callable[[Any, Any], Any] | None = None
    # With `direct`: the permissions on the caller alone that Strawberry's wrapper would
    # check first (api/permissions.py's CallerPermission); a refusal falls back.
    gates: tuple[Any, ...] = ()
    # Whether the value holds objects whose selection calls resolvers: their resolve infos
    # need the objects' paths, which are then made as the value completes.
    needs_path: bool = False
    # ATTRIBUTE: the selection of an object (not a list) with no resolver below it, which
    # the parent's filler fills in place.
    in_place: SelectionPlan | None = None
    nodes: list[FieldNode] = field(init=False)  # what a resolve info names

    def __post_init__(self) -> None:
        self.nodes = [detail.node for detail in self.details]


@dataclass(eq=False, slots=True)
class SelectionPlan:
    object_type: GraphQLObjectType
    fields: list[FieldPlan] = field(default_factory=list)
    # Whether this selection, or one below it, calls resolvers (which need their paths).
    calls_resolvers: bool = False
    # Fills an object's dict: (source, out, path, level); made by api/plans/fillers.py.
    fill: Callable[[Any, dict[str, Any], Path | None, Level], None] = field(init=False)


@dataclass(eq=False, slots=True)
class OperationPlan:
    root: SelectionPlan
