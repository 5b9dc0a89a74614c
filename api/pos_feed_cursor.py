"""The cursor of the POS change feed: both of its positions, opaque to clients.

Unpadded urlsafe base64 of compact JSON: `{"l": location id, "c": [updated_at in
microseconds since the epoch, variant id] or null, "m": movement id}`, plus `"w": variant id`
while the first walk over every level is under way (persistence/pos_feed_reads.py). A
cursor is bound to the location whose feed made it. Anything else is refused with a
BAD_REQUEST error that says what to do, never an internal error.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from api.errors import RequestError
from api.types.nodes import MAX_KEY
from persistence.reads.pos_feed import CatalogPosition, StockPosition

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
MAX_MICROSECONDS = (datetime(9999, 12, 31, tzinfo=UTC) - EPOCH) // MICROSECOND
MAX_LENGTH = 200  # a real cursor is well under 100 characters
URLSAFE_BASE64 = re.compile(r"[A-Za-z0-9_-]+")
REQUIRED_KEYS = {"l", "c", "m"}
KNOWN_KEYS = REQUIRED_KEYS | {"w"}


@dataclass(frozen=True, slots=True)
class FeedCursor:
    location_id: int
    catalog: CatalogPosition | None
    stock: StockPosition

    def encode(self) -> str:
        catalog = self.catalog
        fields: dict[str, Any] = {
            "l": self.location_id,
            "c": None
            if catalog is None
            else [(catalog.updated_at - EPOCH) // MICROSECOND, catalog.variant_id],
            "m": self.stock.movement_id,
        }
        if self.stock.walked_to is not None:
            fields["w"] = self.stock.walked_to
        text = json.dumps(fields, separators=(",", ":"))
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(text: str, location_id: int) -> FeedCursor:
    """The positions in a cursor from this location's feed; a RequestError for anything else."""
    cursor = _parse(text)
    if cursor is None:
        raise RequestError(
            "since: not a cursor from posChanges; pass the cursor of the last response, "
            "or null to start from the beginning"
        )
    if cursor.location_id != location_id:
        raise RequestError(
            "since: this cursor follows another location's changes; pass null to start "
            "this location's from the beginning"
        )
    return cursor


def _parse(text: str) -> FeedCursor | None:
    if len(text) > MAX_LENGTH or not URLSAFE_BASE64.fullmatch(text):
        return None
    try:
        fields = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except ValueError:  # bad base64, bytes that are not UTF-8, text that is not JSON
        return None
    if not isinstance(fields, dict) or not REQUIRED_KEYS <= fields.keys() <= KNOWN_KEYS:
        return None
    location_id, catalog, movement_id = fields["l"], fields["c"], fields["m"]
    walked_to = fields.get("w")
    if not (
        _is_key(location_id, 1)
        and _is_key(movement_id, 0)
        and (walked_to is None or _is_key(walked_to, 0))
        and (catalog is None or _is_catalog_position(catalog))
    ):
        return None
    return FeedCursor(
        location_id=location_id,
        catalog=None
        if catalog is None
        else CatalogPosition(EPOCH + catalog[0] * MICROSECOND, catalog[1]),
        stock=StockPosition(movement_id, walked_to),
    )


def _is_key(value: object, smallest: int) -> bool:
    """An integer a key column can hold (bool is an int to Python, not to us)."""
    return type(value) is int and smallest <= value <= MAX_KEY


def _is_catalog_position(value: object) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and type(value[0]) is int
        and 0 <= value[0] <= MAX_MICROSECONDS
        and _is_key(value[1], 1)
    )
