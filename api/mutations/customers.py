"""Mutations on customers."""

from __future__ import annotations

import strawberry

from api.mutations.payloads import CustomerPayload, attempt
from domain import commands
from domain.usecases import customers


@strawberry.input(description="A new customer.")
class CreateCustomerInput:
    email: str = strawberry.field(description="Unique email address.")
    name: str = strawberry.field(description="Full name.")
    phone: str | None = strawberry.field(default=None, description="Phone number.")


@strawberry.type
class CustomerMutations:
    @strawberry.mutation(description="Create a customer (ADMIN, STAFF, POS).")
    async def create_customer(
        self, info: strawberry.Info, input: CreateCustomerInput
    ) -> CustomerPayload:
        context = info.context
        command = commands.CreateCustomer(input.email, input.name, input.phone)
        return await attempt(
            CustomerPayload,
            lambda: customers.create_customer(context.unit_of_work(), context.principal, command),
            lambda customer: context.loaders.customer.load(customer.id),
        )
