"""Every Prometheus metric the API exports, defined in one place.

Under ``omniorder serve --workers N`` each worker is its own process, so the
metrics are written through prometheus-client's multiprocess mode
(``PROMETHEUS_MULTIPROC_DIR``, set up by ``serve``) and summed when ``/metrics``
is scraped; each gauge therefore names how its per-process values combine.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

GRAPHQL_REQUESTS = Counter(
    "omniorder_graphql_requests_total",
    "GraphQL operations executed, by operation name and outcome (ok, user_error, error).",
    ["operation", "outcome"],
)
GRAPHQL_DURATION = Histogram(
    "omniorder_graphql_request_duration_seconds",
    "Time to execute a GraphQL operation, by operation name.",
    ["operation"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
DB_POOL_CHECKED_OUT = Gauge(
    "omniorder_db_pool_checked_out",
    "Database connections currently checked out of the pool (summed over live workers).",
    multiprocess_mode="livesum",
)
OUTBOX_LAG = Gauge(
    "omniorder_outbox_lag_seconds",
    "Age in seconds of the oldest outbox event not yet relayed (0 when none is waiting).",
    multiprocess_mode="livemax",
)
OPEN_SUBSCRIPTIONS = Gauge(
    "omniorder_subscriptions_open",
    "GraphQL subscriptions currently open (summed over live workers).",
    multiprocess_mode="livesum",
)
SUBSCRIPTION_EVENTS = Counter(
    "omniorder_subscription_events_delivered_total",
    "Events delivered to subscribers, by subscription field.",
    ["subscription"],
)
POS_SYNC_BATCH_SIZE = Histogram(
    "omniorder_pos_sync_batch_size",
    "Entries per POS sync batch: sales for syncPosSales, returns for syncPosReturns.",
    ["mutation"],
    buckets=(1, 5, 10, 25, 50, 100, 250, 500, 1000),
)
WEBHOOK_DELIVERIES = Counter(
    "omniorder_webhook_deliveries_total",
    "Webhook delivery attempts, by outcome (delivered, failed).",
    ["outcome"],
)
QUERY_PLANS = Counter(
    "omniorder_query_plan_operations_total",
    "Query operations by how they executed (planned, fallback, not_planned, shadow_same, "
    "shadow_differs) and why, for fallback and not_planned (docs/query-plans.md).",
    ["outcome", "reason"],
)

# Operation names come from clients: label values are capped so that a client inventing
# names cannot grow the series without bound.
MAX_OPERATION_NAMES = 100
ANONYMOUS = "anonymous"  # the document's operation has no name
UNKNOWN = "unknown"  # the name sent is no operation of the document
OTHER = "other"  # past the cap


class OperationNames:
    """The operation-name label values of this process: the first `limit` names seen are
    kept as they are, later new ones become "other"."""

    def __init__(self, limit: int = MAX_OPERATION_NAMES) -> None:
        self.limit = limit
        self._seen: set[str] = set()

    def label(self, name: str) -> str:
        if name in self._seen:
            return name
        if len(self._seen) >= self.limit:
            return OTHER
        self._seen.add(name)
        return name


OPERATION_NAMES = OperationNames()
