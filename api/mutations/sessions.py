"""Mutations that end sessions by id, and deactivate POS terminals (docs/access.md,
"Sessions")."""

from __future__ import annotations

import strawberry

from api.context import Context
from api.errors import UserError
from api.loaders import reload
from api.mutations.payloads import user_errors_field
from api.mutations.runner import key_of, run_mutation
from api.types.pos import PosTerminal
from api.types.sessions import Session
from domain.commands.accounts import DeactivatePosTerminal, RevokeSession
from domain.model.sessions import Revocation
from domain.usecases import sessions
from domain.usecases.sessions import Deactivation
from persistence.reads import sessions as session_reads


@strawberry.input(description="A session to end.")
class RevokeSessionInput:
    session_id: strawberry.ID = strawberry.field(description="The session.")


@strawberry.input(description="A POS terminal to take out of service.")
class DeactivatePosTerminalInput:
    terminal_id: strawberry.ID = strawberry.field(description="The terminal.")


@strawberry.type(description="Result of revokeSession.")
class RevokeSessionPayload:
    session: Session | None = strawberry.field(
        default=None, description="The session, now revoked (null: refused)."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.type(description="Result of deactivatePosTerminal.")
class DeactivatePosTerminalPayload:
    terminal: PosTerminal | None = strawberry.field(
        default=None, description="The terminal, now deactivated (null: refused)."
    )
    revoked_sessions: int = strawberry.field(
        default=0, description="How many of its tokens' sessions were revoked."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.type
class SessionMutations:
    @strawberry.mutation(
        description="End a session: its tokens stop working at once on every server. An ADMIN "
        "ends any session; anyone else only its own (a customer, its customer's)."
    )
    async def revoke_session(
        self, info: strawberry.Info, input: RevokeSessionInput
    ) -> RevokeSessionPayload:
        return await run_mutation(
            info,
            RevokeSessionPayload,
            sessions.revoke_session,
            lambda: RevokeSession(key_of(input.session_id, "Session", "sessionId")),
            _show_revoked_session,
        )

    @strawberry.mutation(
        description="Take a lost or stolen till out of service: its token stops working at "
        "once on every server, and it syncs nothing more (ADMIN; STAFF of its store)."
    )
    async def deactivate_pos_terminal(
        self, info: strawberry.Info, input: DeactivatePosTerminalInput
    ) -> DeactivatePosTerminalPayload:
        return await run_mutation(
            info,
            DeactivatePosTerminalPayload,
            sessions.deactivate_pos_terminal,
            lambda: DeactivatePosTerminal(key_of(input.terminal_id, "PosTerminal", "terminalId")),
            _show_deactivation,
        )


async def _show_revoked_session(
    context: Context, revoked: list[Revocation]
) -> RevokeSessionPayload:
    await context.session_service.revoked(revoked)
    async with context.database.read_session() as db:
        found = await session_reads.sessions_by_ids(db, [r.session_id for r in revoked])
    return RevokeSessionPayload(
        session=Session.of(found[0], context.principal.session_id) if found else None
    )


async def _show_deactivation(
    context: Context, deactivation: Deactivation
) -> DeactivatePosTerminalPayload:
    await context.session_service.revoked(deactivation.revoked)
    return DeactivatePosTerminalPayload(
        terminal=await reload(context.loaders.pos.terminal, deactivation.terminal.id),
        revoked_sessions=len(deactivation.revoked),
    )
