"""Customers: one person or business, recognised by email."""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.errors import InvalidInput

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class Customer:
    email: str
    name: str
    phone: str | None = None
    id: int | None = None


def normalise_email(email: str, *, field: str = "email") -> str:
    candidate = email.strip().lower()
    if len(candidate) > 254 or not EMAIL_PATTERN.match(candidate):
        raise InvalidInput(f"{email!r} is not an email address", field=field)
    return candidate


MAX_LABEL = 60
MAX_TEXT = 2000


def address_entry(label: str, address: str) -> tuple[str, str]:
    """A labelled address ("Home", "Warehouse dock 3"): both present, neither too long."""
    label, address = label.strip(), address.strip()
    if not label or len(label) > MAX_LABEL:
        raise InvalidInput(f"a label is 1-{MAX_LABEL} characters", field="label")
    if not address or len(address) > MAX_TEXT:
        raise InvalidInput(f"an address is 1-{MAX_TEXT} characters", field="address")
    return label, address


def service_note(note: str) -> str:
    note = note.strip()
    if not note or len(note) > MAX_TEXT:
        raise InvalidInput(f"a note is 1-{MAX_TEXT} characters", field="note")
    return note
