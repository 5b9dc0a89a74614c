"""Compiling a query operation into a plan: for each field, how its value is read and how
it is completed into JSON, worked out once from the schema and the selection set."""

from __future__ import annotations

import enum
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    Undefined,
)
from graphql.execution.collect_fields import FieldDetails, collect_fields, collect_subfields
from graphql.execution.values import VariableValues
from graphql.language import (
    DirectiveNode,
    FieldNode,
    OperationDefinitionNode,
    Visitor,
    visit,
)
from graphql.pyutils import Path
from strawberry.relay import GlobalID, Node
from strawberry.types.field import StrawberryField

from api.plans.fallback import FallBack, FallBackReason

DEFINITION_BACKREF = "strawberry-definition"  # where Strawberry keeps a field's definition
# Relay's `id` field and the defaults it reads an object's id and type name with: a type
# that keeps them has its ids made here without calling the resolver.
NODE_ID_RESOLVER = Node._id
DEFAULT_RESOLVE_ID = Node.resolve_id.__func__  # type: ignore[attr-defined]
DEFAULT_RESOLVE_TYPENAME = Node.resolve_typename.__func__  # type: ignore[attr-defined]
INT_RANGE = range(-(2**31), 2**31)


class NotPlannable(Exception):
    """A document a plan does not cover; graphql-core executes it instead."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class FieldKind(enum.Enum):
    TYPENAME = "typename"  # `__typename`: the parent type's name
    ATTRIBUTE = "attribute"  # a plain field: the attribute of the same (Python) name
    NODE_ID = "node_id"  # relay's `id`, made from the type name and the NodeID attribute
    RESOLVER = "resolver"  # everything else, through Strawberry's resolver machinery


# Completes a field's value into its JSON value: (value, path, queue) -> completed. An
# object becomes a dict filled later: it is queued with its selection for the next level.
Completer = Callable[[Any, Path | None, list[Any]], Any]


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
    # machinery would add nothing (no arguments, extensions or exception handlers).
    direct: Callable[[Any, Any], Any] | None = None
    # Whether the value holds objects, whose fields may need their path in a resolve info.
    needs_path: bool = False
    nodes: list[FieldNode] = field(init=False)  # what a resolve info names

    def __post_init__(self) -> None:
        self.nodes = [detail.node for detail in self.details]


@dataclass(eq=False, slots=True)
class SelectionPlan:
    object_type: GraphQLObjectType
    fields: list[FieldPlan] = field(default_factory=list)


@dataclass(eq=False, slots=True)
class OperationPlan:
    root: SelectionPlan


def compile_operation(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: dict[str, Any],
    variable_values: VariableValues,
) -> OperationPlan:
    """The plan of a query operation, or NotPlannable naming what it does not cover."""
    if _has_directives(operation, fragments):
        raise NotPlannable("directive")
    if any(details.variable_signatures for details in fragments.values()):
        raise NotPlannable("fragment_variables")
    root_type = schema.query_type
    if root_type is None:
        raise NotPlannable("no_query_type")
    compiler = _Compiler(schema, operation, fragments, variable_values)
    grouped = collect_fields(schema, fragments, variable_values, root_type, operation)
    return OperationPlan(root=compiler.selection(root_type, grouped.grouped_field_set))


class _DirectiveFinder(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def enter_directive(self, node: DirectiveNode, *_: Any) -> None:
        self.found = True


def _has_directives(operation: OperationDefinitionNode, fragments: dict[str, Any]) -> bool:
    """Any directive at all (@include, @skip, @defer…): what they select can depend on the
    variables of each request, so such documents are left to graphql-core."""
    finder = _DirectiveFinder()
    for node in (operation, *(details.definition for details in fragments.values())):
        visit(node, finder)
    return finder.found


class _Compiler:
    def __init__(
        self,
        schema: GraphQLSchema,
        operation: OperationDefinitionNode,
        fragments: dict[str, Any],
        variable_values: VariableValues,
    ) -> None:
        self.schema = schema
        self.operation = operation
        self.fragments = fragments
        self.variable_values = variable_values

    def selection(
        self, object_type: GraphQLObjectType, grouped: dict[str, list[FieldDetails]]
    ) -> SelectionPlan:
        plan = SelectionPlan(object_type)
        for key, details in grouped.items():
            plan.fields.append(self.field(object_type, key, details))
        return plan

    def field(
        self, parent_type: GraphQLObjectType, key: str, details: list[FieldDetails]
    ) -> FieldPlan:
        name = details[0].node.name.value
        if name == "__typename":
            type_name = parent_type.name
            return FieldPlan(
                key,
                FieldKind.TYPENAME,
                parent_type,
                None,
                details,
                lambda _value, _path, _queue: type_name,
            )
        if name.startswith("__"):
            raise NotPlannable("introspection")
        definition = parent_type.fields[name]
        complete, holds_objects = self.completer(definition.type, details)
        plan = FieldPlan(
            key,
            FieldKind.RESOLVER,
            parent_type,
            definition,
            details,
            complete,
            has_arguments=bool(definition.args or details[0].node.arguments),
            needs_path=holds_objects,
        )
        strawberry_field = (definition.extensions or {}).get(DEFINITION_BACKREF)
        if not isinstance(strawberry_field, StrawberryField):
            return plan
        if getattr(definition.resolve, "_is_default", False) and strawberry_field.is_basic_field:
            plan.kind = FieldKind.ATTRIBUTE
            plan.attribute = strawberry_field.python_name
        elif _makes_node_ids(strawberry_field, parent_type):
            plan.kind = FieldKind.NODE_ID
            plan.node_class = parent_type.extensions[DEFINITION_BACKREF].origin
            plan.attribute = plan.node_class.resolve_id_attr()  # type: ignore[union-attr]
        elif not plan.has_arguments:
            plan.direct = _direct_call(self.schema, strawberry_field)
        return plan

    def completer(
        self, return_type: GraphQLOutputType, details: list[FieldDetails]
    ) -> tuple[Completer, bool]:
        """How values of `return_type` complete, and whether they hold objects."""
        non_null = isinstance(return_type, GraphQLNonNull)
        inner = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
        if isinstance(inner, GraphQLList):
            item, holds_objects = self.completer(inner.of_type, details)
            return _list_completer(item, non_null), holds_objects
        if isinstance(inner, GraphQLScalarType | GraphQLEnumType):
            return _leaf_completer(inner, non_null), False
        if isinstance(inner, GraphQLObjectType):
            grouped = collect_subfields(
                self.schema,
                self.fragments,
                self.variable_values,
                self.operation,
                inner,
                details,
            )
            selection = self.selection(inner, grouped.grouped_field_set)
            return _object_completer(selection, non_null), True
        raise NotPlannable("abstract_type")


def _makes_node_ids(strawberry_field: StrawberryField, parent_type: GraphQLObjectType) -> bool:
    """Whether the field is relay's `id` on a type that reads ids the default way."""
    resolver = strawberry_field.base_resolver
    if resolver is None or strawberry_field.extensions:
        return False
    if getattr(resolver.wrapped_func, "__func__", None) is not NODE_ID_RESOLVER.__func__:
        return False
    definition = (parent_type.extensions or {}).get(DEFINITION_BACKREF)
    origin = getattr(definition, "origin", None)
    return (
        isinstance(origin, type)
        and issubclass(origin, Node)
        and origin.resolve_id.__func__ is DEFAULT_RESOLVE_ID  # type: ignore[attr-defined]
        and origin.resolve_typename.__func__ is DEFAULT_RESOLVE_TYPENAME  # type: ignore[attr-defined]
    )


def _direct_call(
    schema: GraphQLSchema, strawberry_field: StrawberryField
) -> Callable[[Any, Any], Any] | None:
    """The field's resolver called straight, with what it asks for (the object as `self`,
    `root` or `parent`; Strawberry's Info), as Strawberry's wrapper calls it when there is
    nothing else for the wrapper to do; None when there is."""
    resolver = strawberry_field.base_resolver
    strawberry_schema = getattr(schema, "_strawberry_schema", None)
    if (
        resolver is None
        or strawberry_field.extensions
        or strawberry_field.arguments
        or strawberry_schema is None
        or strawberry_schema.exception_handlers
    ):
        return None
    function = resolver.wrapped_func
    if not callable(function):
        return None
    info_class = strawberry_schema.config.info_class
    passes_self = resolver.self_parameter is not None
    source_names = [
        parameter.name
        for parameter in (resolver.root_parameter, resolver.parent_parameter)
        if parameter is not None
    ]
    info_name = resolver.info_parameter.name if resolver.info_parameter else None

    def call(source: Any, info: Any) -> Any:
        keywords = dict.fromkeys(source_names, source)
        if info_name is not None:
            keywords[info_name] = info_class(_raw_info=info, _field=strawberry_field)
        if passes_self:
            return function(source, **keywords)
        return function(**keywords)

    return call


def node_id(plan: FieldPlan, source: Any) -> GlobalID:
    """Relay's id of `source`, as `Node._id` makes it by default."""
    return GlobalID(type_name=plan.parent_type.name, node_id=str(getattr(source, plan.attribute)))


def _null(non_null: bool) -> None:
    if non_null:
        raise FallBack(FallBackReason.NULL_IN_NON_NULL)


def _leaf_completer(leaf_type: GraphQLScalarType | GraphQLEnumType, non_null: bool) -> Completer:
    coerce = leaf_type.coerce_output_value
    fast = _fast_leaf_check(leaf_type)

    def complete(value: Any, _path: Path | None, _queue: list[Any]) -> Any:
        if fast(value):
            return value
        if value is None or value is Undefined:
            return _null(non_null)
        if isinstance(value, Exception):
            raise FallBack(FallBackReason.ERROR)
        try:
            coerced = coerce(value)
        except Exception as error:
            raise FallBack(FallBackReason.ERROR) from error
        if coerced is None or coerced is Undefined:
            raise FallBack(FallBackReason.ERROR)
        return coerced

    return complete


def _fast_leaf_check(leaf_type: GraphQLScalarType | GraphQLEnumType) -> Callable[[Any], bool]:
    """A check that a value is already its own JSON value, for the built-in scalars (what
    their serializers give back unchanged); everything else is coerced."""
    name = leaf_type.name
    if name in ("String", "ID"):
        return lambda value: type(value) is str
    if name == "Boolean":
        return lambda value: type(value) is bool
    if name == "Int":
        return lambda value: type(value) is int and value in INT_RANGE
    if name == "Float":
        return lambda value: type(value) is float and math.isfinite(value)
    return lambda _value: False


def _list_completer(item: Completer, non_null: bool) -> Completer:
    def complete(value: Any, path: Path | None, queue: list[Any]) -> Any:
        if value is None or value is Undefined:
            return _null(non_null)
        if isinstance(value, str | bytes | dict) or not hasattr(value, "__iter__"):
            raise FallBack(FallBackReason.ERROR)
        if path is None:
            return [item(entry, None, queue) for entry in value]
        return [item(entry, Path(path, index, None), queue) for index, entry in enumerate(value)]

    return complete


def _object_completer(selection: SelectionPlan, non_null: bool) -> Completer:
    # Strawberry's checks (made for types with interfaces) read no resolve info.
    is_type_of: Callable[[Any, Any], Any] | None = selection.object_type.is_type_of

    def complete(value: Any, path: Path | None, queue: list[Any]) -> Any:
        if value is None or value is Undefined:
            return _null(non_null)
        if isinstance(value, Exception) or (
            is_type_of is not None and is_type_of(value, None) is not True
        ):
            raise FallBack(FallBackReason.ERROR)
        out: dict[str, Any] = {}
        queue.append((selection, value, out, path))
        return out

    return complete
