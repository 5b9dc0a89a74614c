"""Who may read what, declared on the fields: `permission_classes=[CanReadStock]`.

Each class gates a field on one rule of `domain` (the rules live there; these only apply
them to the caller of the request) and refuses with a GraphQL error FORBIDDEN, its path
the field's. They are the API-level gates only: what depends on the document (a clerk
bound to a location acts only there) stays in the use cases, and what a caller may see
of a list or a node is the loaders' and the read scopes' business (api/loaders.py).

A subscription declares them with `extensions=[following(...)]` instead, so that a refusal
arrives as the stream's first (and last) result, `next` with the error, as any other
refusal of a subscription does, rather than as a protocol-level `error` message.
"""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions.field_extension import AsyncExtensionResolver
from strawberry.permission import BasePermission, PermissionExtension
from strawberry.utils.await_maybe import await_maybe

from domain.access import Principal, Role
from domain.model import boms
from domain.model.pos import may_see_terminals
from domain.model.suppliers import may_read_suppliers


class CallerPermission(BasePermission):
    """A gate on the caller alone: `allows(principal)`; refused with FORBIDDEN."""

    error_extensions = {"code": "FORBIDDEN"}

    def allows(self, principal: Principal) -> bool:
        raise NotImplementedError

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        return self.allows(info.context.principal)


class IsSignedIn(CallerPermission):
    message = (
        "sign in first: send a bearer token (in the Authorization header; over a WebSocket, "
        "in the connection_init payload)"
    )

    def allows(self, principal: Principal) -> bool:
        return principal.is_authenticated


class CanReadStock(CallerPermission):
    message = "only staff, POS terminals and admins may read stock and the documents moving it"

    def allows(self, principal: Principal) -> bool:
        return principal.may_read_stock()


class CanReadCustomers(CallerPermission):
    message = "only staff, POS terminals and admins may read customers and customer groups"

    def allows(self, principal: Principal) -> bool:
        return principal.may_read_customers()


class CanReadSuppliers(CallerPermission):
    message = "only staff and admins may read suppliers, their prices and purchase orders"

    def allows(self, principal: Principal) -> bool:
        return may_read_suppliers(principal)


class CanReadManufacturing(CallerPermission):
    message = "only staff and admins may read bills of materials and work orders"

    def allows(self, principal: Principal) -> bool:
        return boms.may_read(principal)


class CanSeeTerminals(CallerPermission):
    message = "only staff and admins may see POS terminals"

    def allows(self, principal: Principal) -> bool:
        return may_see_terminals(principal)


class CanReadPromotions(CallerPermission):
    message = "only staff and admins may read promotions and their voucher codes"

    def allows(self, principal: Principal) -> bool:
        return principal.may_manage_catalog()


class CanReadTaxes(CallerPermission):
    message = "only staff and admins may read tax classes and tax rates"

    def allows(self, principal: Principal) -> bool:
        return principal.may_manage_catalog()


class IsAdmin(CallerPermission):
    message = "only admins may read this"

    def allows(self, principal: Principal) -> bool:
        return principal.role is Role.ADMIN


class SubscriptionPermissions(PermissionExtension):
    """Permission classes on a subscription field: a refused caller gets a stream whose
    first result is the error (`next` with errors, then `complete`)."""

    async def resolve_async(
        self, next_: AsyncExtensionResolver, source: Any, info: strawberry.Info, **kwargs: Any
    ) -> Any:
        for permission in self.permissions:
            if not await await_maybe(permission.has_permission(source, info, **kwargs)):
                return _Refusal(permission)
        return next_(source, info, **kwargs)


def following(*permissions: type[CallerPermission]) -> SubscriptionPermissions:
    """The extension that gates a subscription field on `permissions`, in order."""
    # No schema directives, as for `permission_classes` on queries: who may do what is in
    # the field's description and docs/access.md.
    return SubscriptionPermissions(
        [permission() for permission in permissions], use_directives=False
    )


class _Refusal:
    """A subscription's stream that fails at once with the permission's error."""

    def __init__(self, permission: BasePermission) -> None:
        self._error = GraphQLError(permission.message or "", extensions=permission.error_extensions)

    def __aiter__(self) -> _Refusal:
        return self

    async def __anext__(self) -> Any:
        raise self._error
