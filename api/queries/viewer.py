"""`me`: who the caller is, as the server sees its token."""

from __future__ import annotations

import strawberry

import api.types.common  # noqa: F401  (registers Role)
from api.types.customers import Customer
from domain.access import Role
from persistence.reads import customers as customer_reads


@strawberry.type(description="The caller, as identified by its bearer token.")
class Viewer:
    role: Role | None = strawberry.field(description="Null for an anonymous caller.")
    subject: str = strawberry.field(description="Who the token was issued to.")
    location_codes: list[str] = strawberry.field(
        description="Locations a STAFF or POS caller is bound to; empty means everywhere."
    )
    customer_email: strawberry.Private[str | None]

    @strawberry.field(description="The customer a CUSTOMER caller acts for.")
    async def customer(self, info: strawberry.Info) -> Customer | None:
        if self.customer_email is None:
            return None
        async with info.context.database.read_session() as session:
            row = await customer_reads.customer_by_email(session, self.customer_email)
        return Customer.from_row(row) if row else None


@strawberry.type
class ViewerQueries:
    @strawberry.field(description="The caller.")
    def me(self, info: strawberry.Info) -> Viewer:
        principal = info.context.principal
        return Viewer(
            role=principal.role,
            subject=principal.subject,
            location_codes=sorted(principal.location_codes),
            customer_email=principal.customer_email,
        )
