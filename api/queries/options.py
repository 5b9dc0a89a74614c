"""Queries of product attributes. Open to everyone, as the catalog is."""

from __future__ import annotations

import strawberry

from api.types.options import Attribute
from persistence.reads import options as option_reads


@strawberry.type
class OptionQueries:
    @strawberry.field(
        description="Every attribute products may have (material, brand…), by name, with "
        "its known values: what a storefront's filters offer."
    )
    async def attributes(self, info: strawberry.Info) -> list[Attribute]:
        async with info.context.database.read_session() as session:
            rows = await option_reads.attributes(session)
        return Attribute.from_rows(rows)
