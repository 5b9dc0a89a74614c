"""Recognising one customer across channels: the web shop, a POS till and a wholesale
desk each know a person by what they were told, an email or a phone number.

`recognise_customer` runs inside the caller's open unit of work, so a customer it
creates is committed, or rolled back, with the order or sale that needed it.
"""

from __future__ import annotations

from datetime import datetime

from domain.access import Principal, Role
from domain.errors import Duplicate, NotFound
from domain.model.customers import (
    MAX_NAME,
    Customer,
    customer_name,
    normalise_email,
    normalise_phone,
)
from domain.ports import UnitOfWork

EMAIL_FIELD = "customerEmail"
PHONE_FIELD = "customerPhone"
NAME_FIELD = "customerName"


async def recognise_customer(
    uow: UnitOfWork,
    *,
    email: str | None,
    phone: str | None,
    name: str | None,
    now: datetime,
    phone_region: str | None = None,
) -> Customer | None:
    """The customer these details name, created when only a new email names it.

    - Neither email nor phone given: None.
    - An existing customer with this email (compared normalised) is it; else one with this
      phone number (however it was typed).
    - Nobody matches and an email is given: a new customer with that email, the phone, and
      the name given (else the part of the email before '@', as it was typed).
    - Nobody matches a phone given alone: None. A phone number is not enough to create a
      customer (every customer has an email); the caller decides whether to go on without
      one (a POS sale) or to refuse (`placeOrder` answers NOT_FOUND).

    A malformed email, phone or name raises InvalidInput naming `customerEmail`,
    `customerPhone` or `customerName`. `now` is when the customer is first known; a phone
    without a country code is read as dialled in `phone_region` (ISO 3166 alpha-2).
    """
    typed = (email or "").strip()
    email = normalise_email(typed, field=EMAIL_FIELD) if typed else None
    phone = (
        normalise_phone(phone, region=phone_region, field=PHONE_FIELD)
        if phone and phone.strip()
        else None
    )
    name = customer_name(name, field=NAME_FIELD) if name and name.strip() else None
    existing = await _existing(uow, email, phone)
    if existing is not None or email is None:
        return existing
    try:
        return await uow.customers.add(
            Customer(email=email, name=name or typed.split("@", 1)[0][:MAX_NAME], phone=phone),
            at=now,
        )
    except Duplicate:
        # A concurrent request added this customer meanwhile: it is the one.
        existing = await _existing(uow, email, phone)
        if existing is None:
            raise
        return existing


async def _existing(uow: UnitOfWork, email: str | None, phone: str | None) -> Customer | None:
    customer = await uow.customers.by_email(email) if email is not None else None
    if customer is None and phone is not None:
        customer = await uow.customers.by_phone(phone)
    return customer


async def ordering_customer(
    uow: UnitOfWork,
    principal: Principal,
    *,
    email: str | None,
    phone: str | None,
    name: str | None,
    now: datetime,
    phone_region: str | None = None,
) -> Customer | None:
    """Who an order is for. A CUSTOMER caller always orders as itself (naming another
    email is refused; a phone or name it sends is ignored). Staff, POS terminals and
    admins name the customer by email or phone, and an unknown email creates it; a phone
    alone that nobody has is refused, since a customer cannot be made from it."""
    if principal.role is Role.CUSTOMER:
        requested = normalise_email(email, field=EMAIL_FIELD) if email else None
        own = principal.customer_email
        principal.require(requested in (None, own), "order for another customer")
        customer = await uow.customers.by_email(own or "")
        if customer is None:
            raise NotFound.of("customer", own, field=EMAIL_FIELD)
        return customer
    customer = await recognise_customer(
        uow, email=email, phone=phone, name=name, now=now, phone_region=phone_region
    )
    if customer is None and phone and phone.strip():
        number = normalise_phone(phone, region=phone_region)
        raise NotFound(
            f"no customer has phone {number}; give an email to create one",
            field=PHONE_FIELD,
        )
    return customer
