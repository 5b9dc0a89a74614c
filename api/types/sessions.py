"""GraphQL type of a session: who its tokens speak for, until when, whether revoked."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay

import api.types.common  # noqa: F401  (registers Role)
from api.types.nodes import integer_ids
from domain.access import Role
from domain.model.sessions import Session as DomainSession
from domain.model.sessions import SessionKind
from domain.usecases.sessions import may_manage
from persistence.reads import sessions as session_reads

strawberry.enum(
    SessionKind,
    description="Where a session came from: SIGN_IN, a customer signing in with a password "
    "(short-lived access tokens renewed by a refresh token); CLI, a token printed by "
    "`omniorder token`; POS_TERMINAL, a terminal's token from registerPosTerminal.",
)


@strawberry.type(
    description="A session: every token the service issues belongs to one, and revoking it "
    "stops them at once on every server. ADMIN sees all; anyone else only its own."
)
class Session(relay.Node):
    id: relay.NodeID[int]
    kind: SessionKind = strawberry.field(description="Where it came from.")
    role: Role = strawberry.field(description="The role its tokens carry.")
    subject: str = strawberry.field(description="Who its tokens speak for (the actor).")
    location_codes: list[str] = strawberry.field(
        description="The locations its tokens are bound to (STAFF, POS)."
    )
    customer_email: str | None = strawberry.field(
        description="The customer its tokens are bound to (CUSTOMER)."
    )
    terminal_id: int | None = strawberry.field(
        description="The POS terminal it is the token of, if any."
    )
    label: str | None = strawberry.field(
        description="What it is, as given when it began (a device, a job)."
    )
    created_at: datetime = strawberry.field(description="When it began (UTC).")
    expires_at: datetime = strawberry.field(
        description="When its tokens stop working (UTC); a signed-in session is not extended "
        "by refreshing."
    )
    refreshed_at: datetime | None = strawberry.field(
        description="When its refresh token was last used (UTC)."
    )
    revoked_at: datetime | None = strawberry.field(description="When it was revoked (UTC).")
    revoked_by: str | None = strawberry.field(description="Who revoked it.")
    current: bool = strawberry.field(description="Whether the token of this request belongs to it.")

    @classmethod
    def of(cls, session: DomainSession, current_id: int | None) -> Session:
        return cls(
            id=session.id or 0,
            kind=session.kind,
            role=session.role,
            subject=session.subject,
            location_codes=sorted(session.location_codes),
            customer_email=session.customer_email,
            terminal_id=session.terminal_id,
            label=session.label,
            created_at=session.created_at,
            expires_at=session.expires_at,
            refreshed_at=session.refreshed_at,
            revoked_at=session.revoked_at,
            revoked_by=session.revoked_by,
            current=session.id is not None and session.id == current_id,
        )

    @classmethod
    async def resolve_nodes(
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        principal = info.context.principal
        ids = integer_ids(node_ids)
        async with info.context.database.read_session() as db:
            found = await session_reads.sessions_by_ids(db, [i for i in ids if i is not None])
        visible = {s.id: s for s in found if may_manage(principal, s)}
        return [cls.of(visible[i], principal.session_id) if i in visible else None for i in ids]
