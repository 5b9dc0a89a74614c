"""Customers: one person or business, recognised by email, else by phone."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from domain.errors import InvalidInput

PHONE_SEPARATORS = re.compile(r"[\s\-.()]")
PHONE_SEARCH_PATTERN = re.compile(r"\+?[0-9]+")
# The regions (ISO 3166 alpha-2) whose numbering plans phonenumbers knows: GB, US, DE, ...
PHONE_REGIONS = frozenset(phonenumbers.SUPPORTED_REGIONS)
MAX_NAME = 200


@dataclass
class Customer:
    email: str
    name: str
    phone: str | None = None
    id: int | None = None
    group_id: int | None = None


def normalise_email(email: str, *, field: str = "email") -> str:
    """An email address checked by email-validator (syntax only, no DNS look-up) and written
    one way: trimmed, the domain in its normalised form, and all of it lower case. The
    local part is lower-cased too, although RFC 5321 lets a server tell "Ada" from "ada":
    no mail service in common use does, and customers are recognised by this form, so
    "Ada@Example.com" and "ada@example.com" are one customer."""
    try:
        checked = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidInput(f"{email!r} is not an email address: {error}", field=field) from None
    return str(checked.normalized).lower()


def normalise_phone(phone: str, *, region: str | None = None, field: str = "phone") -> str:
    """A phone number in E.164 ("+442079460958"), however it was typed: with its country
    code ("+44 (0)20 7946-0958", "0044 20 7946 0958" under GB) or, when the service has a
    default `region` (ISO 3166 alpha-2, e.g. "GB"), as it is dialled there ("020 7946
    0958"). What phonenumbers does not find a valid number, or one with an extension, is
    INVALID_INPUT at `field`."""
    try:
        number = phonenumbers.parse(phone, region)
    except phonenumbers.NumberParseException as error:
        if error.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
            raise InvalidInput(
                f"{phone!r} has no country code: write it with one (+44 20 7946 0958), or "
                "have the service's default phone region set (OMNIORDER_PHONE_REGION)",
                field=field,
            ) from None
        raise InvalidInput(f"{phone!r} is not a phone number", field=field) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidInput(
            f"{phone!r} is not a valid number for country code +{number.country_code}",
            field=field,
        )
    if number.extension:
        raise InvalidInput(f"{phone!r} has an extension; give the number alone", field=field)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_search_key(text: str, *, region: str | None = None) -> str | None:
    """What to look for among stored (E.164) numbers when someone types all or part of one
    in a search box, however they separate the digits: a whole valid number in E.164; else
    the digits, a leading '+' kept, and under a default `region` without its trunk prefix
    ("020 7946" under GB looks for "207946"); None if the text is not phone-like."""
    candidate = PHONE_SEPARATORS.sub("", text)
    if not PHONE_SEARCH_PATTERN.fullmatch(candidate):
        return None
    try:
        return normalise_phone(candidate, region=region)
    except InvalidInput:
        pass
    trunk = phonenumbers.ndd_prefix_for_region(region, True) if region else None
    if trunk and candidate.startswith(trunk):
        return candidate[len(trunk) :]
    return candidate


def customer_name(name: str, *, field: str = "name") -> str:
    candidate = name.strip()
    if not candidate or len(candidate) > MAX_NAME:
        raise InvalidInput(f"a customer's name is 1-{MAX_NAME} characters", field=field)
    return candidate


MAX_LABEL = 60
MAX_TEXT = 2000


def address_label(label: str) -> str:
    """What a customer's address is ("Home", "Warehouse dock 3"): present, not too long."""
    label = label.strip()
    if not label or len(label) > MAX_LABEL:
        raise InvalidInput(f"a label is 1-{MAX_LABEL} characters", field="label")
    return label


def service_note(note: str) -> str:
    note = note.strip()
    if not note or len(note) > MAX_TEXT:
        raise InvalidInput(f"a note is 1-{MAX_TEXT} characters", field="note")
    return note
