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
