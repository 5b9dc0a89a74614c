"""Customers: one person or business, recognised by email, else by phone."""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.errors import InvalidInput

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_SEPARATORS = re.compile(r"[\s\-.()]")
PHONE_PATTERN = re.compile(r"\+?[0-9]{6,20}")
PHONE_SEARCH_PATTERN = re.compile(r"\+?[0-9]+")
MAX_NAME = 200


@dataclass
class Customer:
    email: str
    name: str
    phone: str | None = None
    id: int | None = None
    group_id: int | None = None


def normalise_email(email: str, *, field: str = "email") -> str:
    candidate = email.strip().lower()
    if len(candidate) > 254 or not EMAIL_PATTERN.match(candidate):
        raise InvalidInput(f"{email!r} is not an email address", field=field)
    return candidate


def normalise_phone(phone: str, *, field: str = "phone") -> str:
    """One way to write a phone number: a leading '+' kept, spaces, dashes, dots and
    parentheses dropped, 6-20 digits left ("+44 (20) 7946-0958" → "+442079460958")."""
    candidate = PHONE_SEPARATORS.sub("", phone)
    if not PHONE_PATTERN.fullmatch(candidate):
        raise InvalidInput(
            f"{phone!r} is not a phone number: 6-20 digits, an optional leading '+', "
            "and spaces, dashes, dots or parentheses between them",
            field=field,
        )
    return candidate


def phone_search_key(text: str) -> str | None:
    """What to look for among stored phone numbers when someone types part of one in a
    search box, however they separate the digits; None if the text is not phone-like."""
    candidate = PHONE_SEPARATORS.sub("", text)
    return candidate if PHONE_SEARCH_PATTERN.fullmatch(candidate) else None


def customer_name(name: str, *, field: str = "name") -> str:
    candidate = name.strip()
    if not candidate or len(candidate) > MAX_NAME:
        raise InvalidInput(f"a customer's name is 1-{MAX_NAME} characters", field=field)
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
