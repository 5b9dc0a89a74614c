"""Choosing the operation to run, as the GraphQL spec's GetOperation says.

A document with several operations must come with the name of the one to run; without it
the request is an error. Strawberry runs the first operation instead, so this extension
refuses such a request before it is validated or run.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError, OperationDefinitionNode
from strawberry.extensions import SchemaExtension

from api.errors import BAD_REQUEST


class OperationChoice(SchemaExtension):
    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        operations = [
            d
            for d in (document.definitions if document else ())
            if isinstance(d, OperationDefinitionNode)
        ]
        # `operation_name` falls back to the first operation's name; only this attribute
        # says whether the client sent one (a test pins it, should Strawberry rename it).
        sent_name = getattr(context, "_provided_operation_name", None)
        if sent_name is None and len(operations) > 1:
            refusal = GraphQLError(
                "The document has several operations: send `operationName` to choose one.",
                extensions={"code": BAD_REQUEST},
            )
            # A new list: the validation cache may have put its own shared one here.
            context.pre_execution_errors = [*(context.pre_execution_errors or []), refusal]
        yield
