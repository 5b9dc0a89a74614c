"""Moments as clients send them: with a UTC offset, kept in UTC."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.errors import InvalidInput


def utc_moment(moment: datetime, field: str) -> datetime:
    """`moment` in UTC; INVALID_INPUT at `field` when it has no offset, or when its offset
    moves it out of the years datetime holds."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput(f"{field} needs a UTC offset, e.g. 2026-11-01T00:00:00Z", field=field)
    try:
        return moment.astimezone(UTC)
    except OverflowError as error:  # an offset that moves year 1 or 9999 out of range
        raise InvalidInput(f"{field} is out of range", field=field) from error
