"""Queries on taxes: staff and admins list the tax classes and the rates."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.permissions import CanReadTaxes
from api.types.taxes import TaxClass, TaxRate
from persistence.reads import taxes as tax_reads


@strawberry.type
class TaxQueries:
    @strawberry.field(
        description="Every tax class, by code (staff and admins).",
        permission_classes=[CanReadTaxes],
    )
    async def tax_classes(self, info: strawberry.Info) -> list[TaxClass]:
        async with info.context.database.read_session() as session:
            rows = await tax_reads.tax_classes(session)
        return [TaxClass.from_row(row) for row in rows]

    @strawberry.field(
        description="Tax rates, by country; each country's own before its regions', and the "
        "rate of every class before those of one class (staff and admins).",
        permission_classes=[CanReadTaxes],
    )
    async def tax_rates(
        self,
        info: strawberry.Info,
        country: Annotated[
            str | None,
            strawberry.argument(
                description="Only this country's (ISO 3166-1 alpha-2 code, any case); null: all."
            ),
        ] = None,
    ) -> list[TaxRate]:
        wanted = None if country is None else country.strip().upper()
        async with info.context.database.read_session() as session:
            rows = await tax_reads.tax_rates(session, wanted)
        return [TaxRate.from_row(row) for row in rows]
