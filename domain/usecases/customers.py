"""Use cases for customers."""

from __future__ import annotations

from domain.access import Principal, Role
from domain.commands import CreateCustomer
from domain.errors import Duplicate, InvalidInput
from domain.model.customers import Customer, normalise_email
from domain.ports import UnitOfWork


async def create_customer(
    uow: UnitOfWork, principal: Principal, command: CreateCustomer
) -> Customer:
    principal.require(principal.role in (Role.ADMIN, Role.STAFF, Role.POS), "create customers")
    email = normalise_email(command.email)
    if not command.name.strip():
        raise InvalidInput("a customer needs a name", field="name")
    async with uow:
        if await uow.customers.by_email(email) is not None:
            raise Duplicate(f"a customer with email {email} exists", field="email")
        customer = await uow.customers.add(
            Customer(email, command.name.strip(), (command.phone or "").strip() or None)
        )
        await uow.commit()
    return customer
