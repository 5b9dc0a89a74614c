"""The cost of an operation, computed from its document before it runs (docs/api.md,
"Query cost"), and the schema extension that refuses operations costing too much.

The cost is an upper bound on the objects a response can hold, as Shopify counts them:
every object costs 1 (a page's edges, nodes and `pageInfo` included), scalars and enums
cost 0, and a list multiplies the cost of each of its items by how long it can be:

- a field with a `first` or `last` argument is sized by it (the connection's default
  page size when it is not given); if the field returns a list, the list is that long,
  otherwise the lists directly inside what it returns are (a connection's `edges`);
- any other list counts as `list_size` items.

Nested sizes multiply. Fragments count where they are spread; fragments on different
types (`... on Product`, `... on Order`) add up, and `@skip`/`@include` are not looked at:
the cost is what the document could ask for. A mutation field costs `mutation_cost`
plus its selection. Introspection (`__schema`, `__type`) costs nothing: it reads the
schema in memory, never the database, and can be turned off (OMNIORDER_INTROSPECTION).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLCompositeType,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
    get_nullable_type,
    is_leaf_type,
    is_list_type,
)
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values
from graphql.utilities import get_operation_ast
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext
from strawberry.types.graphql import OperationType as StrawberryOperationType

from api.pagination import DEFAULT_PAGE_SIZE
from api.settings import Settings

QUERY_COST_EXCEEDED = "QUERY_COST_EXCEEDED"
DEFAULT_LIST_SIZE = 10  # a list with no `first`/`last` argument
MUTATION_COST = 10  # each mutation field, on top of its selection
SIZE_ARGUMENTS = ("first", "last")
FREE_FIELDS = frozenset({"__schema", "__type", "__typename"})


class _CostWalker:
    """Walks one operation's selections; a fresh one per operation."""

    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        variables: VariableValues,
        list_size: int,
    ) -> None:
        self.schema = schema
        self.variables = variables
        self.list_size = list_size
        self.fragments = {
            definition.name.value: definition
            for definition in document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }

    def fields(
        self,
        parent: GraphQLCompositeType,
        selection_set: SelectionSetNode | None,
        spread: frozenset[str] = frozenset(),
    ) -> Iterator[tuple[GraphQLCompositeType, FieldNode]]:
        """The fields selected on `parent`, with fragments expanded (each spread at most
        once along a path: validation forbids cycles, this makes sure)."""
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                yield parent, selection
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self._type(condition.name.value) if condition else parent
                yield from self.fields(inner, selection.selection_set, spread)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in spread:
                    inner = self._type(fragment.type_condition.name.value)
                    yield from self.fields(inner, fragment.selection_set, spread | {name})

    def selection_cost(
        self, parent: GraphQLCompositeType, selection_set: SelectionSetNode | None, size: int | None
    ) -> int:
        """The cost of a selection; `size` sizes the lists directly in it, if set."""
        return sum(
            self.field_cost(owner, node, size) for owner, node in self.fields(parent, selection_set)
        )

    def field_cost(self, parent: GraphQLCompositeType, node: FieldNode, size: int | None) -> int:
        name = node.name.value
        if name in FREE_FIELDS or not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return 0
        definition = parent.fields[name]
        named = get_named_type(definition.type)
        if is_leaf_type(named):
            return 0
        own_size = self._size(definition, node)
        if is_list_type(get_nullable_type(definition.type)):
            items = next(s for s in (own_size, size, self.list_size) if s is not None)
            inner_size = None
        else:
            items, inner_size = 1, own_size
        return items * (1 + self.selection_cost(named, node.selection_set, inner_size))

    def _size(self, definition: GraphQLField, node: FieldNode) -> int | None:
        """The field's `first`/`last`, or the default page size if it takes one and it is
        not given; None if it takes neither."""
        if not any(argument in definition.args for argument in SIZE_ARGUMENTS):
            return None
        values = get_argument_values(definition, node, self.variables)
        given = [values[a] for a in SIZE_ARGUMENTS if values.get(a) is not None]
        return max(0, *given) if given else DEFAULT_PAGE_SIZE

    def _type(self, name: str) -> GraphQLCompositeType:
        return self.schema.get_type(name)  # type: ignore[return-value]


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None = None,
    variables: Mapping[str, Any] | None = None,
    *,
    list_size: int = DEFAULT_LIST_SIZE,
    mutation_cost: int = MUTATION_COST,
) -> int | None:
    """The cost of the chosen operation of a validated document; None if there is no such
    operation or its variables do not coerce (execution then says why)."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return None
    coerced = get_variable_values(
        schema, operation.variable_definitions or (), dict(variables or {})
    )
    if isinstance(coerced, list):
        return None
    root = schema.get_root_type(operation.operation)
    if root is None:
        return None
    walker = _CostWalker(schema, document, coerced, list_size)
    cost = walker.selection_cost(root, operation.selection_set, None)
    if operation.operation is OperationType.MUTATION:
        mutations = walker.fields(root, operation.selection_set)
        cost += mutation_cost * sum(
            1 for _, node in mutations if node.name.value not in FREE_FIELDS
        )
    return cost


def request_settings(execution_context: ExecutionContext) -> Settings:
    """The settings of the request being run; the defaults when the schema runs outside a
    request (`schema.introspect()`, which passes no context)."""
    context = execution_context.context
    return context.settings if context is not None else Settings()


class QueryCost(SchemaExtension):
    """Refuses an operation costing more than OMNIORDER_QUERY_COST_LIMIT before it runs
    (a subscription when it is subscribed to), and reports the cost of each query and
    mutation in `extensions.cost`, with Shopify's name for it."""

    cost: int | None = None
    limit: int = 0

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        assert context.graphql_document is not None  # execution follows validation
        self.limit = request_settings(context).query_cost_limit
        self.cost = operation_cost(
            context.schema._schema,
            context.graphql_document,
            context.operation_name,
            context.variables,
        )
        if self.cost is not None and self.cost > self.limit:
            raise GraphQLError(
                f"The operation costs {self.cost}, more than the limit of {self.limit}: ask "
                "for smaller pages (first) or fewer nested lists.",
                extensions={
                    "code": QUERY_COST_EXCEEDED,
                    "cost": {"requested": self.cost, "limit": self.limit},
                },
            )
        yield

    def get_results(self) -> dict[str, Any]:
        """The cost, except on a subscription's events: it was paid once, up front."""
        context = self.execution_context
        if self.cost is None or (
            context.operation_type is StrawberryOperationType.SUBSCRIPTION
            and self.cost <= self.limit
        ):
            return {}
        return {"cost": {"requestedQueryCost": self.cost, "limit": self.limit}}
