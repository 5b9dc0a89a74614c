"""Types of the POS change feed: what a terminal needs to catch up with its store."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import strawberry

from api.types.catalog import Variant
from api.types.inventory import StockLevel
from domain.model.catalog import ProductStatus


@strawberry.type(
    description="A variant as a till shows it, with its product's name and status: sent "
    "when it is created and whenever its price, name, barcode or product status changes."
)
class PosCatalogEntry:
    variant: Variant = strawberry.field(description="The variant: SKU, name, barcode, price.")
    product_name: str = strawberry.field(description="The name of the variant's product.")
    product_status: ProductStatus = strawberry.field(
        description="The product's status: ARCHIVED variants are no longer on sale."
    )
    updated_at: datetime = strawberry.field(
        description="When the variant, or its product's status, last changed (UTC)."
    )

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> PosCatalogEntry:
        """`row`: pos_feed_reads.CATALOG_ENTRY_COLUMNS (a variant's, then three), by position."""
        *variant, updated_at, product_name, product_status = row
        return cls(
            variant=Variant.from_row(variant),
            product_name=product_name,
            product_status=ProductStatus(product_status),
            updated_at=updated_at,
        )


@strawberry.type(
    description="What changed for one store since a cursor: pass `cursor` back as `since` "
    "to get what changed next. Call again at once while `hasMore` is true."
)
class PosChanges:
    variants: list[PosCatalogEntry] = strawberry.field(
        description="Variants created or changed since the cursor, oldest change first "
        "(at most `first`)."
    )
    stock_levels: list[StockLevel] = strawberry.field(
        description="Current levels at the store that changed since the cursor (at most "
        "`first`); from a null cursor, every level at the store. A new variant's level "
        "starts at 0 and is sent with its first stock movement."
    )
    cursor: str = strawberry.field(
        description="Where this page ends: pass it as `since` next time. Opaque, and bound "
        "to this store."
    )
    has_more: bool = strawberry.field(
        description="True when more changes wait beyond this page: call again with `cursor`."
    )
