"""Mutations on customers."""

from __future__ import annotations

from collections.abc import Awaitable

import strawberry

from api.mutations.payloads import CustomerPayload, attempt, key_of
from domain.commands.customers import AddCustomerAddress, AddCustomerNote, CreateCustomer
from domain.model.customers import Customer
from domain.usecases import customers


@strawberry.input(description="A new customer.")
class CreateCustomerInput:
    email: str = strawberry.field(description="Unique email address.")
    name: str = strawberry.field(description="Full name.")
    phone: str | None = strawberry.field(default=None, description="Phone number.")


@strawberry.input(description="A new address for a customer.")
class AddCustomerAddressInput:
    customer_id: strawberry.ID = strawberry.field(description="The customer.")
    label: str = strawberry.field(description="What it is, e.g. Home; at most 60 characters.")
    address: str = strawberry.field(description="The postal address.")


@strawberry.input(description="A service note on a customer.")
class AddCustomerNoteInput:
    customer_id: strawberry.ID = strawberry.field(description="The customer.")
    note: str = strawberry.field(description="What staff should know.")


@strawberry.type
class CustomerMutations:
    @strawberry.mutation(description="Create a customer (ADMIN, STAFF, POS).")
    async def create_customer(
        self, info: strawberry.Info, input: CreateCustomerInput
    ) -> CustomerPayload:
        context = info.context
        command = CreateCustomer(input.email, input.name, input.phone)
        return await attempt(
            CustomerPayload,
            lambda: customers.create_customer(context.unit_of_work(), context.principal, command),
            lambda customer: context.loaders.customer.load(customer.id),
        )

    @strawberry.mutation(
        description="Add an address to a customer (staff, POS, admin; a customer to itself)."
    )
    async def add_customer_address(
        self, info: strawberry.Info, input: AddCustomerAddressInput
    ) -> CustomerPayload:
        context = info.context

        def action() -> Awaitable[Customer]:
            command = AddCustomerAddress(
                key_of(input.customer_id, "Customer", "customerId"), input.label, input.address
            )
            return customers.add_customer_address(
                context.unit_of_work(), context.principal, command, context.now()
            )

        return await attempt(
            CustomerPayload, action, lambda customer: context.loaders.customer.load(customer.id)
        )

    @strawberry.mutation(description="Keep a service note on a customer (staff, POS, admin).")
    async def add_customer_note(
        self, info: strawberry.Info, input: AddCustomerNoteInput
    ) -> CustomerPayload:
        context = info.context

        def action() -> Awaitable[Customer]:
            command = AddCustomerNote(
                key_of(input.customer_id, "Customer", "customerId"), input.note
            )
            return customers.add_customer_note(
                context.unit_of_work(), context.principal, command, context.now()
            )

        return await attempt(
            CustomerPayload, action, lambda customer: context.loaders.customer.load(customer.id)
        )
