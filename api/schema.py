"""The GraphQL schema: every query and mutation, with the limits that keep it safe."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from typing import Any

import strawberry
from graphql import GraphQLError
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry import relay
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.types.base_scalars import UUIDDefinition
from strawberry.types import ExecutionContext

from api.errors import MASKED_MESSAGE, ErrorCodes, MaskInternalErrors, give_codes, should_mask
from api.mutation_limits import MutationRateLimit
from api.mutations.accounts import AccountMutations
from api.mutations.catalog import CatalogMutations
from api.mutations.categories import CategoryMutations
from api.mutations.collections import CollectionMutations
from api.mutations.counts import StockCountMutations
from api.mutations.customer_groups import CustomerGroupMutations
from api.mutations.customers import CustomerMutations
from api.mutations.inventory import InventoryMutations
from api.mutations.invoices import InvoiceMutations
from api.mutations.manufacturing import ManufacturingMutations
from api.mutations.material_requirements import MaterialRequirementMutations
from api.mutations.media import MediaMutations
from api.mutations.options import OptionMutations
from api.mutations.ordering import OrderMutations
from api.mutations.payments import PaymentMutations
from api.mutations.pos_returns import PosReturnMutations
from api.mutations.pos_sales import PosMutations
from api.mutations.promotions import PromotionMutations
from api.mutations.purchase_orders import PurchaseOrderMutations
from api.mutations.returns import ReturnMutations
from api.mutations.services import ServiceMutations
from api.mutations.sessions import SessionMutations
from api.mutations.shipments import ShipmentMutations
from api.mutations.shipping_methods import ShippingMethodMutations
from api.mutations.suppliers import SupplierMutations
from api.mutations.taxes import TaxMutations
from api.mutations.transfers import TransferMutations
from api.mutations.webhooks import WebhookMutations
from api.observability.operations import OperationMetrics
from api.operation_choice import OperationChoice
from api.plans.executor import PlanningExecutionContext
from api.queries.catalog import CatalogQueries
from api.queries.categories import CategoryQueries
from api.queries.counts import StockCountQueries
from api.queries.customer_groups import CustomerGroupQueries
from api.queries.inventory import InventoryQueries
from api.queries.invoices import InvoiceQueries
from api.queries.manufacturing import ManufacturingQueries
from api.queries.material_requirements import MaterialRequirementQueries
from api.queries.options import OptionQueries
from api.queries.orders import OrderQueries
from api.queries.pos import PosQueries
from api.queries.pos_feed import PosFeedQueries
from api.queries.promotions import PromotionQueries
from api.queries.purchasing import PurchasingQueries
from api.queries.reports import SalesReportQueries
from api.queries.returns import ReturnQueries
from api.queries.sessions import SessionQueries
from api.queries.settlement import SettlementQueries
from api.queries.shipping_methods import ShippingMethodQueries
from api.queries.taxes import TaxQueries
from api.queries.transfers import TransferQueries
from api.queries.viewer import ViewerQueries
from api.queries.webhooks import WebhookQueries
from api.query_cost import QueryCost, request_settings
from api.subscriptions import Subscription


@strawberry.type(description="Everything a client can read.")
class Query(
    CatalogQueries,
    CategoryQueries,
    OptionQueries,
    InventoryQueries,
    OrderQueries,
    InvoiceQueries,
    CustomerGroupQueries,
    PromotionQueries,
    TaxQueries,
    ShippingMethodQueries,
    TransferQueries,
    ManufacturingQueries,
    MaterialRequirementQueries,
    PurchasingQueries,
    ReturnQueries,
    StockCountQueries,
    PosFeedQueries,
    PosQueries,
    SalesReportQueries,
    SettlementQueries,
    SessionQueries,
    ViewerQueries,
    WebhookQueries,
):
    node: relay.Node | None = relay.node(description="Any object by its global id.")


@strawberry.type(description="Everything a client can change.")
class Mutation(
    CatalogMutations,
    CategoryMutations,
    CollectionMutations,
    OptionMutations,
    MediaMutations,
    InventoryMutations,
    CustomerMutations,
    CustomerGroupMutations,
    PromotionMutations,
    TaxMutations,
    OrderMutations,
    PaymentMutations,
    InvoiceMutations,
    ShipmentMutations,
    ShippingMethodMutations,
    TransferMutations,
    ManufacturingMutations,
    MaterialRequirementMutations,
    SupplierMutations,
    PurchaseOrderMutations,
    ReturnMutations,
    PosReturnMutations,
    PosMutations,
    StockCountMutations,
    ServiceMutations,
    WebhookMutations,
    AccountMutations,
    SessionMutations,
):
    pass


class EventScopedExecutionContext(PlanningExecutionContext):
    """Each subscription event gets its own memo of collected sub-fields.

    graphql-core 3.3 copies one executor per event but shares its sub-field memo, keyed by
    the identity of lists made anew for each event: a long-lived subscription (a store
    screen) would grow it by an entry per event, for ever, and garbage collection of the
    growing heap stalls the process. A fresh memo per event keeps memory flat.
    """

    def build_per_event_executor(self, payload: Any) -> Any:
        executor = super().build_per_event_executor(payload)
        executor._relevant_sub_fields = {}
        return executor


class OmniorderSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Every error gets an `extensions.code` here, where each result's errors pass
        before they are masked; logging happens once, in `should_mask`, for the bugs."""
        give_codes(errors)

    def get_extensions(self, sync: bool = False) -> list[SchemaExtension]:
        """Run synchronously (`schema.introspect()`, outside any request), the schema
        leaves out the mutation rate limit, whose count is awaited."""
        extensions = super().get_extensions(sync)
        if not sync:
            return extensions
        return [e for e in extensions if not isinstance(e, MutationRateLimit)]


class IntrospectionSwitch(SchemaExtension):
    """With OMNIORDER_INTROSPECTION=0, `__schema` and `__type` fail validation
    (GRAPHQL_VALIDATION_FAILED). The schema is built once per process and the setting
    comes with each request's context, so the rule is added per operation."""

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        if not request_settings(context).introspection:
            rules = (*context.validation_rules, NoSchemaIntrospectionCustomRule)
            context.validation_rules = rules
        yield


# Limits that keep one request from costing the server too much.
MAX_QUERY_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 5000
# Clients send the same few documents over and over: parse and validate each once.
DOCUMENT_CACHE_SIZE = 512
# The depth and alias rules, made once: each limiter makes a new rule class when it is
# constructed, and the validation cache is keyed on the rule classes, so limiters made per
# request (as factories) would never let a document's validation be found again.
LIMIT_RULES = (
    *QueryDepthLimiter(max_depth=MAX_QUERY_DEPTH).validation_rules,
    *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
)
# Strawberry's UUID scalar (ids POS terminals give what they sync), with a description.
UUID_SCALAR = dataclasses.replace(
    UUIDDefinition, description="A UUID in its canonical text form, e.g. 0f8fad5b-d9cb-…"
)

# Built once per process: Strawberry's relay fields cannot be converted twice.
schema = OmniorderSchema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    execution_context_class=EventScopedExecutionContext,
    scalar_overrides={uuid.UUID: UUID_SCALAR},
    extensions=[
        OperationMetrics,
        lambda: ParserCache(maxsize=DOCUMENT_CACHE_SIZE),
        lambda: ValidationCache(maxsize=DOCUMENT_CACHE_SIZE),
        lambda: AddValidationRules(list(LIMIT_RULES)),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        IntrospectionSwitch,
        QueryCost,
        MutationRateLimit,
        OperationChoice,
        ErrorCodes,
        lambda: MaskInternalErrors(should_mask_error=should_mask, error_message=MASKED_MESSAGE),
    ],
)
