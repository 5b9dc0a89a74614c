"""Use cases for customers."""

from __future__ import annotations

from datetime import datetime

from domain.access import Principal, Role
from domain.commands.customers import AddCustomerAddress, AddCustomerNote, CreateCustomer
from domain.errors import Duplicate, InvalidInput, NotFound
from domain.model.addresses import checked_address
from domain.model.customers import (
    Customer,
    address_label,
    normalise_email,
    normalise_phone,
    service_note,
)
from domain.ports import UnitOfWork


async def create_customer(
    uow: UnitOfWork, principal: Principal, command: CreateCustomer
) -> Customer:
    principal.require(principal.role in (Role.ADMIN, Role.STAFF, Role.POS), "create customers")
    email = normalise_email(command.email)
    if not command.name.strip():
        raise InvalidInput("a customer needs a name", field="name")
    phone = (
        normalise_phone(command.phone, region=command.phone_region)
        if command.phone and command.phone.strip()
        else None
    )
    async with uow:
        if await uow.customers.by_email(email) is not None:
            raise Duplicate(f"a customer with email {email} exists", field="email")
        if phone is not None and await uow.customers.by_phone(phone) is not None:
            raise Duplicate(f"a customer with phone {phone} exists", field="phone")
        customer = await uow.customers.add(Customer(email, command.name.strip(), phone))
        await uow.commit()
    return customer


async def add_customer_address(
    uow: UnitOfWork, principal: Principal, command: AddCustomerAddress, now: datetime
) -> Customer:
    """Staff may add an address to any customer; a customer only to itself."""
    label = address_label(command.label)
    address = checked_address(command.address, field="address", phone_region=command.phone_region)
    async with uow:
        customer = await _visible_customer(uow, principal, command.customer_id)
        principal.require(
            principal.role is not Role.CUSTOMER or customer.email == principal.customer_email,
            "change another customer",
        )
        await uow.customers.add_address(command.customer_id, label, address, now)
        await uow.commit()
    return customer


async def add_customer_note(
    uow: UnitOfWork, principal: Principal, command: AddCustomerNote, now: datetime
) -> Customer:
    """Service notes are kept by staff, for staff."""
    principal.require(principal.may_read_customers(), "keep notes on customers")
    note = service_note(command.note)
    async with uow:
        customer = await _visible_customer(uow, principal, command.customer_id)
        await uow.customers.add_note(command.customer_id, note, principal.subject, now)
        await uow.commit()
    return customer


async def _visible_customer(uow: UnitOfWork, principal: Principal, customer_id: int) -> Customer:
    customer = await uow.customers.get(customer_id)
    if customer is None or not (
        principal.may_read_customers() or customer.email == principal.customer_email
    ):
        raise NotFound.no_such("customer", field="customerId")
    return customer
