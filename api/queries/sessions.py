"""`sessions`: the sessions a caller may see (an ADMIN all, anyone else its own)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.pagination import After, Before, Connection, First, Last, connection, page_from
from api.permissions import IsSignedIn
from api.types.sessions import Session
from persistence.reads import sessions as session_reads
from persistence.repositories.sessions import session_from_row


@strawberry.type
class SessionQueries:
    @strawberry.field(
        description="Sessions, oldest first: every one for an ADMIN, a customer's own for a "
        "CUSTOMER (its devices), a caller's own role and subject for anyone else. By default "
        "only the live ones (neither revoked nor expired).",
        permission_classes=[IsSignedIn],
    )
    async def sessions(
        self,
        info: strawberry.Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        include_ended: Annotated[
            bool, strawberry.argument(description="Revoked and expired sessions too.")
        ] = False,
        customer_email: Annotated[
            str | None,
            strawberry.argument(
                description="Only the sessions bound to this customer's email (any case)."
            ),
        ] = None,
    ) -> Connection[Session]:
        page = page_from(info, first, after, last, before)
        principal = info.context.principal
        async with info.context.database.read_session() as db:
            rows, total = await session_reads.sessions_page(
                db,
                page,
                principal,
                live_at=None if include_ended else info.context.now(),
                customer_email=customer_email.strip().lower() if customer_email else None,
            )
        return connection(
            rows, total, page, lambda row: Session.of(session_from_row(row), principal.session_id)
        )
