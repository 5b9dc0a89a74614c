"""Mutations on customers."""

from __future__ import annotations

import strawberry

from api.mutations.catalog import MoneyInput
from api.mutations.payloads import CustomerPayload, show_customer
from api.mutations.runner import key_of, run_mutation, without_clock
from api.types.addresses import AddressInput
from domain.commands.credit import CreditLimitRequest, SetCustomerCreditLimit
from domain.commands.customers import AddCustomerAddress, AddCustomerNote, CreateCustomer
from domain.usecases import credit, customers


@strawberry.input(description="A new customer.")
class CreateCustomerInput:
    email: str = strawberry.field(description="Unique email address.")
    name: str = strawberry.field(description="Full name.")
    phone: str | None = strawberry.field(default=None, description="Phone number.")


@strawberry.input(description="A new address for a customer.")
class AddCustomerAddressInput:
    customer_id: strawberry.ID = strawberry.field(description="The customer.")
    label: str = strawberry.field(description="What it is, e.g. Home; at most 60 characters.")
    address: AddressInput = strawberry.field(description="The postal address.")


@strawberry.input(description="A service note on a customer.")
class AddCustomerNoteInput:
    customer_id: strawberry.ID = strawberry.field(description="The customer.")
    note: str = strawberry.field(description="What staff should know.")


@strawberry.input(description="Give a customer its own credit limit, or take it away.")
class SetCustomerCreditLimitInput:
    customer_id: strawberry.ID = strawberry.field(description="The customer.")
    limit: MoneyInput | None = strawberry.field(
        description="How much it may owe in WHOLESALE orders, zero or more, in one currency "
        "(orders in others do not count towards it); it overrides its group's. Null: its "
        "group's limit holds again (none: unlimited)."
    )


@strawberry.type
class CustomerMutations:
    @strawberry.mutation(description="Create a customer (ADMIN, STAFF, POS).")
    async def create_customer(
        self, info: strawberry.Info, input: CreateCustomerInput
    ) -> CustomerPayload:
        return await run_mutation(
            info,
            CustomerPayload,
            without_clock(customers.create_customer),
            lambda: CreateCustomer(
                input.email, input.name, input.phone, info.context.settings.phone_region
            ),
            show_customer,
        )

    @strawberry.mutation(
        description="Add an address to a customer (staff, POS, admin; a customer to itself)."
    )
    async def add_customer_address(
        self, info: strawberry.Info, input: AddCustomerAddressInput
    ) -> CustomerPayload:
        return await run_mutation(
            info,
            CustomerPayload,
            customers.add_customer_address,
            lambda: AddCustomerAddress(
                key_of(input.customer_id, "Customer", "customerId"),
                input.label,
                input.address.to_domain(),
                info.context.settings.phone_region,
            ),
            show_customer,
        )

    @strawberry.mutation(description="Keep a service note on a customer (staff, POS, admin).")
    async def add_customer_note(
        self, info: strawberry.Info, input: AddCustomerNoteInput
    ) -> CustomerPayload:
        return await run_mutation(
            info,
            CustomerPayload,
            customers.add_customer_note,
            lambda: AddCustomerNote(
                key_of(input.customer_id, "Customer", "customerId"), input.note
            ),
            show_customer,
        )

    @strawberry.mutation(
        description="Set or clear a customer's own credit limit, which WHOLESALE orders are "
        "judged by as they are placed (ADMIN)."
    )
    async def set_customer_credit_limit(
        self, info: strawberry.Info, input: SetCustomerCreditLimitInput
    ) -> CustomerPayload:
        return await run_mutation(
            info,
            CustomerPayload,
            without_clock(credit.set_customer_credit_limit),
            lambda: SetCustomerCreditLimit(
                key_of(input.customer_id, "Customer", "customerId"),
                credit_limit_request(input.limit),
            ),
            show_customer,
        )


def credit_limit_request(limit: MoneyInput | None) -> CreditLimitRequest | None:
    return None if limit is None else CreditLimitRequest(limit.amount, limit.currency)
