"""Commands on transfers: what a caller asks, as plain frozen data."""

from __future__ import annotations

from dataclasses import dataclass

from domain.model.transfers import ReceivedLine


@dataclass(frozen=True)
class TransferLineRequest:
    sku: str
    quantity: int


@dataclass(frozen=True)
class CreateTransfer:
    from_location_code: str
    to_location_code: str
    lines: tuple[TransferLineRequest, ...]
    note: str | None = None


@dataclass(frozen=True)
class ChangeTransferStatus:
    """request or cancel."""

    transfer_id: int
    note: str | None = None


@dataclass(frozen=True)
class ShipTransfer:
    transfer_id: int
    carrier: str
    tracking_number: str
    note: str | None = None


@dataclass(frozen=True)
class ReceiveTransfer:
    transfer_id: int
    lines: tuple[ReceivedLine, ...]
    note: str | None = None
