"""Places that hold stock, and the sales channels that fulfil from them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum

from domain.errors import InvalidInput
from domain.model.addresses import Address
from domain.model.payments import CaptureMoment

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,31}$")


class LocationKind(StrEnum):
    STORE = "STORE"
    WAREHOUSE = "WAREHOUSE"


class ChannelCode(StrEnum):
    WEB = "WEB"
    MOBILE = "MOBILE"
    POS = "POS"
    WHOLESALE = "WHOLESALE"


@dataclass
class Location:
    code: str
    name: str
    kind: LocationKind
    address: str = ""
    id: int | None = None
    # Where the store is, structured: what a counter sale, a pickup or a booked service
    # there is taxed by. None until it is set (setLocationAddress).
    postal_address: Address | None = None


@dataclass
class Channel:
    code: ChannelCode
    name: str
    location_ids: list[int] = field(default_factory=list)
    id: int | None = None
    # When its orders' authorized money is taken: at placement (a sale), or as goods ship.
    capture_on: CaptureMoment = CaptureMoment.PLACEMENT
    # PENDING orders with no money authorized or captured this long are cancelled.
    unpaid_order_ttl: timedelta | None = None
    # Whether its prices (list, group, shipping) are entered with tax included.
    prices_include_tax: bool = True


def normalise_location_code(code: str, *, field: str = "code") -> str:
    candidate = code.strip().upper()
    if not CODE_PATTERN.match(candidate):
        raise InvalidInput(
            f"location code {code!r} must be 1-32 letters, digits, '_' or '-'", field=field
        )
    return candidate
