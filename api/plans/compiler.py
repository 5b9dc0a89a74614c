"""Compiling a query operation into a plan: for each field, how its value is read and how
it is completed into JSON, worked out once from the schema and the selection set."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
)
from graphql.execution.collect_fields import FieldDetails, collect_fields, collect_subfields
from graphql.execution.values import VariableValues
from graphql.language import DirectiveNode, OperationDefinitionNode, Visitor, visit
from strawberry.permission import PermissionExtension
from strawberry.relay import Node
from strawberry.types.field import StrawberryField

from api.permissions import CallerPermission
from api.plans.completers import leaf_completer, list_completer, object_completer
from api.plans.fillers import make_filler
from api.plans.shapes import Completer, FieldKind, FieldPlan, OperationPlan, SelectionPlan

DEFINITION_BACKREF = "strawberry-definition"  # where Strawberry keeps a field's definition
# Relay's `id` field and the defaults it reads an object's id and type name with: a type
# that keeps them has its ids made here without calling the resolver.
NODE_ID_RESOLVER = Node._id
DEFAULT_RESOLVE_ID = Node.resolve_id.__func__  # type: ignore[attr-defined]
DEFAULT_RESOLVE_TYPENAME = Node.resolve_typename.__func__  # type: ignore[attr-defined]


class NotPlannable(Exception):
    """A document a plan does not cover; graphql-core executes it instead."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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
        plan.calls_resolvers = any(
            field.kind in (FieldKind.RESOLVER, FieldKind.NODE_ID) or field.needs_path
            for field in plan.fields
        )
        plan.fill = make_filler(plan)
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
                lambda _value, _path, _level: type_name,
            )
        if name.startswith("__"):
            raise NotPlannable("introspection")
        definition = parent_type.fields[name]
        complete, needs_path, own_selection = self.completer(definition.type, details)
        plan = FieldPlan(
            key,
            FieldKind.RESOLVER,
            parent_type,
            definition,
            details,
            complete,
            has_arguments=bool(definition.args or details[0].node.arguments),
            needs_path=needs_path,
        )
        strawberry_field = (definition.extensions or {}).get(DEFINITION_BACKREF)
        if not isinstance(strawberry_field, StrawberryField):
            return plan
        if getattr(definition.resolve, "_is_default", False) and strawberry_field.is_basic_field:
            plan.kind = FieldKind.ATTRIBUTE
            plan.attribute = strawberry_field.python_name
            if own_selection is not None and not own_selection.calls_resolvers:
                plan.in_place = own_selection
        elif _makes_node_ids(strawberry_field, parent_type):
            plan.kind = FieldKind.NODE_ID
            plan.node_class = parent_type.extensions[DEFINITION_BACKREF].origin
            plan.attribute = plan.node_class.resolve_id_attr()  # type: ignore[union-attr]
        elif not plan.has_arguments and (gates := caller_gates(strawberry_field)) is not None:
            plan.direct = _direct_call(self.schema, strawberry_field)
            if plan.direct is not None:
                plan.gates = gates
        return plan

    def completer(
        self, return_type: GraphQLOutputType, details: list[FieldDetails]
    ) -> tuple[Completer, bool, SelectionPlan | None]:
        """How values of `return_type` complete; whether they hold objects whose selection
        calls resolvers (whose resolve infos need the objects' paths); and, for an object
        type, the selection its values are filled with."""
        non_null = isinstance(return_type, GraphQLNonNull)
        inner = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
        if isinstance(inner, GraphQLList):
            item, needs_path, _ = self.completer(inner.of_type, details)
            return list_completer(item, non_null), needs_path, None
        if isinstance(inner, GraphQLScalarType | GraphQLEnumType):
            return leaf_completer(inner, non_null), False, None
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
            return object_completer(selection, non_null), selection.calls_resolvers, selection
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


def caller_gates(strawberry_field: StrawberryField) -> tuple[CallerPermission, ...] | None:
    """The field's permissions, when its one extension is Strawberry's permission check and
    every permission is a gate on the caller alone (api/permissions.py), or none when it has
    no extension: the plan can check them itself, and call the resolver straight. None when
    anything else wraps it."""
    match strawberry_field.extensions:
        case []:
            return ()
        case [PermissionExtension(permissions=permissions)] if all(
            isinstance(permission, CallerPermission)
            and type(permission).has_permission is CallerPermission.has_permission
            for permission in permissions
        ):
            return tuple(permissions)  # type: ignore[arg-type]  # each checked above
    return None


def _direct_call(
    schema: GraphQLSchema, strawberry_field: StrawberryField
) -> Callable[[Any, Any], Any] | None:
    """The field's resolver called straight, with what it asks for (the object as `self`,
    `root` or `parent`; Strawberry's Info), as Strawberry's wrapper calls it when there is
    nothing else for the wrapper to do (its extensions, if any, are `caller_gates`, which
    the plan checks first); None when there is."""
    resolver = strawberry_field.base_resolver
    strawberry_schema = getattr(schema, "_strawberry_schema", None)
    if (
        resolver is None
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
