"""The unit of work: one session, one transaction, every repository sharing it."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Self

from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import Duplicate, InvalidInput
from domain.events import DomainEvent
from domain.ports import UnitOfWork
from persistence import outbox
from persistence.database import Database
from persistence.repositories.accounts import SqlAccountRepository
from persistence.repositories.boms import SqlBillOfMaterialsRepository
from persistence.repositories.catalog import SqlCatalogRepository
from persistence.repositories.categories import SqlCategoryRepository, SqlCollectionRepository
from persistence.repositories.counts import SqlStockCountRepository
from persistence.repositories.customer_groups import SqlCustomerGroupRepository
from persistence.repositories.customers import SqlCustomerRepository
from persistence.repositories.invoices import SqlInvoiceRepository
from persistence.repositories.locations import SqlLocationRepository
from persistence.repositories.media import SqlMediaRepository
from persistence.repositories.options import SqlAttributeRepository, SqlOptionRepository
from persistence.repositories.orders import SqlOrderRepository
from persistence.repositories.payments import SqlPaymentRepository
from persistence.repositories.pos import SqlPosRepository
from persistence.repositories.promotions import SqlPromotionRepository
from persistence.repositories.purchase_orders import SqlPurchaseOrderRepository
from persistence.repositories.returns import SqlReturnRepository
from persistence.repositories.services import SqlServiceRepository
from persistence.repositories.sessions import SqlSessionRepository
from persistence.repositories.shipments import SqlShipmentRepository
from persistence.repositories.shipping_methods import SqlShippingRepository
from persistence.repositories.stock import SqlStockRepository
from persistence.repositories.suppliers import SqlSupplierRepository
from persistence.repositories.taxes import SqlTaxRepository
from persistence.repositories.transfers import SqlTransferRepository
from persistence.repositories.webhooks import SqlWebhookRepository
from persistence.repositories.work_orders import SqlWorkOrderRepository

# PostgreSQL's deadlock_detected and serialization_failure: the transaction was rolled back
# through no fault of its request, and running the request again is the documented remedy.
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})


class TransactionConflict(Exception):
    """The database rolled the transaction back because of a concurrent one (a deadlock);
    nothing was kept, and the whole command may simply run again."""


class SqlUnitOfWork:
    """Enter to begin, `commit()` to keep; leaving without a commit rolls everything back.

    It may be entered again after it is left: each entry is a fresh transaction.
    """

    session: AsyncSession

    def __init__(self, database: Database, on_commit: Callable[[], None] | None = None) -> None:
        self._database = database
        self._on_commit = on_commit

    async def __aenter__(self) -> Self:
        self._writing = self._database.writing()
        self._attach(await self._writing.__aenter__(), [])
        return self

    def _attach(self, session: AsyncSession, events: list[DomainEvent]) -> None:
        """Every repository on this session, collecting events into `events`."""
        self.session = session
        self.events = events  # collected by the repositories, kept on commit
        self.catalog = SqlCatalogRepository(self.session)
        self.options = SqlOptionRepository(self.session)
        self.attributes = SqlAttributeRepository(self.session)
        self.locations = SqlLocationRepository(self.session)
        self.customers = SqlCustomerRepository(self.session)
        self.customer_groups = SqlCustomerGroupRepository(self.session)
        self.promotions = SqlPromotionRepository(self.session)
        self.taxes = SqlTaxRepository(self.session)
        self.shipping = SqlShippingRepository(self.session)
        self.stock = SqlStockRepository(self.session, self.events)
        self.orders = SqlOrderRepository(self.session, self.events)
        self.shipments = SqlShipmentRepository(self.session, self.events)
        self.transfers = SqlTransferRepository(self.session, self.events)
        self.suppliers = SqlSupplierRepository(self.session)
        self.purchase_orders = SqlPurchaseOrderRepository(self.session, self.events)
        self.returns = SqlReturnRepository(self.session, self.events)
        self.counts = SqlStockCountRepository(self.session, self.events)
        self.pos = SqlPosRepository(self.session)
        self.boms = SqlBillOfMaterialsRepository(self.session)
        self.work_orders = SqlWorkOrderRepository(self.session, self.events)
        self.services = SqlServiceRepository(self.session)
        self.webhooks = SqlWebhookRepository(self.session)
        self.sessions = SqlSessionRepository(self.session)
        self.accounts = SqlAccountRepository(self.session)
        self.payments = SqlPaymentRepository(self.session, self.events)
        self.invoices = SqlInvoiceRepository(self.session)
        self.categories = SqlCategoryRepository(self.session)
        self.collections = SqlCollectionRepository(self.session)
        self.media = SqlMediaRepository(self.session)

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.session.rollback()  # a no-op after a commit
        await self._writing.__aexit__(None, None, None)
        _raise_translated(error)

    async def commit(self) -> None:
        """Keep everything, with the events in the outbox; then tell the relay."""
        with _unique_values_raced():
            await outbox.append(self.session, self.events)
            await self.session.commit()
        if self.events and self._on_commit is not None:
            self._on_commit()
        self.events.clear()


class SqlBatchUnitOfWork(SqlUnitOfWork):
    """Many use cases in ONE transaction (`omniorder import`): each entry is a savepoint
    of the batch's session, its `commit()` releases the savepoint and leaving without one
    rolls back to it; nothing is kept until `keep()` commits the whole batch (with every
    event in the outbox), and leaving `batch()` without it keeps nothing."""

    def __init__(self, session: AsyncSession) -> None:
        self._attach(session, [])
        self._outer = session

    @classmethod
    @contextlib.asynccontextmanager
    async def batch(cls, database: Database) -> AsyncIterator[SqlBatchUnitOfWork]:
        async with database.writing() as session:
            try:
                yield cls(session)
            finally:
                await session.rollback()  # a no-op after keep()

    async def __aenter__(self) -> Self:
        self._savepoint = await self._outer.begin_nested()
        self._attach(self._outer, self.events)
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._savepoint.is_active:
            await self._savepoint.rollback()
        _raise_translated(error)

    async def commit(self) -> None:
        with _unique_values_raced():
            await self._savepoint.commit()

    async def keep(self) -> None:
        """Commit the batch: everything its use cases committed, or nothing."""
        with _unique_values_raced():
            await outbox.append(self._outer, self.events)
            await self._outer.commit()
        self.events.clear()


@contextlib.contextmanager
def _unique_values_raced() -> Iterator[None]:
    try:
        yield
    except IntegrityError as error:
        # Two requests raced for the same unique value (a SKU, a code, an email).
        raise Duplicate("a value that must be unique was taken meanwhile") from error


def _raise_translated(error: BaseException | None) -> None:
    """A deadlock as TransactionConflict, a value the database refused as InvalidInput."""
    if _sqlstate(error) in RETRYABLE_SQLSTATES:
        raise TransactionConflict(str(error)) from error
    if _is_refused_value(error):
        # The database refused a value no rule caught first (too long, out of range).
        raise InvalidInput("a value is too long, or a number out of range") from error


if TYPE_CHECKING:
    # Never run: mypy proves here that the adapter satisfies the domain's port, so a
    # repository method that drifts from its Protocol fails the type check, not a request.
    def _satisfies_port(uow: SqlUnitOfWork) -> UnitOfWork:
        return uow


def _is_refused_value(error: object) -> bool:
    """A "data exception" (SQLSTATE class 22): the value itself does not fit the column."""
    return isinstance(error, DataError) or _sqlstate(error).startswith("22")


def _sqlstate(error: object) -> str:
    """The SQLSTATE of a database error (asyncpg reports it; SQLite has none), else ""."""
    if not isinstance(error, DBAPIError):
        return ""
    return str(getattr(error.orig, "sqlstate", None) or "")
