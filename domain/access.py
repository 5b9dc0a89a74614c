"""Who is calling and what they may do: roles, bindings and the rules between them.

ADMIN does everything. STAFF may be bound to locations; a bound clerk changes stock
and orders only there (an unbound one works everywhere). POS is a terminal bound to
one store (a registered terminal's token also names the terminal, which may then sync
its sales). CUSTOMER is bound to one customer and sees and places only its own orders.
An anonymous caller reads the catalog and nothing else.

What a caller sends to be remembered (an idempotency key) lives in the caller's own space,
its `idempotency_scope`: one key means one thing per caller, never someone else's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from hashlib import sha256

from domain.errors import Forbidden

# How long a scope may be (the column that holds it); a longer one is shortened to a digest.
MAX_SCOPE_LENGTH = 255


class Role(StrEnum):
    ADMIN = "ADMIN"
    STAFF = "STAFF"
    POS = "POS"
    CUSTOMER = "CUSTOMER"

    @classmethod
    def _missing_(cls, value: object) -> Role | None:
        """Roles read from text in any case: `Role("admin")` is `Role.ADMIN`."""
        if isinstance(value, str) and value.upper() in cls.__members__:
            return cls[value.upper()]
        return None


@dataclass(frozen=True, slots=True)
class Principal:
    role: Role | None
    subject: str = "anonymous"
    location_codes: frozenset[str] = field(default_factory=frozenset)
    customer_email: str | None = None
    terminal_id: int | None = None  # a POS token issued by registerPosTerminal names its till
    # The session the caller's token belongs to (revoking it stops the token); None for
    # the system and for tokens of an outside identity provider.
    session_id: int | None = None

    @classmethod
    def anonymous(cls) -> Principal:
        return cls(role=None)

    @classmethod
    def system(cls, subject: str = "system") -> Principal:
        return cls(role=Role.ADMIN, subject=subject)

    @property
    def is_authenticated(self) -> bool:
        return self.role is not None

    @property
    def sees_all_locations(self) -> bool:
        """ADMIN, and STAFF bound to no location, act everywhere."""
        return self.role is Role.ADMIN or (self.role is Role.STAFF and not self.location_codes)

    @property
    def idempotency_scope(self) -> str:
        """The caller's own space for the keys it sends: a CUSTOMER's is its customer (the
        same shopper on two devices shares it), a registered terminal's the terminal, and
        anyone else's its role and subject (`staff:kim`)."""
        if self.role is Role.CUSTOMER:
            # A token bound to no customer orders nothing, and shares no customer's space.
            email = (self.customer_email or "").strip().lower()
            scope = f"customer:{email}" if email else f"unbound-customer:{self.subject}"
        elif self.role is Role.POS and self.terminal_id is not None:
            scope = f"terminal:{self.terminal_id}"
        else:
            scope = f"{self.role.value.lower() if self.role else 'anonymous'}:{self.subject}"
        if len(scope) <= MAX_SCOPE_LENGTH:
            return scope
        kind = scope.partition(":")[0]
        return f"{kind}:sha256:{sha256(scope.encode()).hexdigest()}"

    def works_at(self, location_code: str) -> bool:
        if self.role in (Role.STAFF, Role.POS):
            return self.sees_all_locations or location_code in self.location_codes
        return self.role is Role.ADMIN

    # -- reading -----------------------------------------------------------------
    def may_read_stock(self) -> bool:
        return self.role in (Role.ADMIN, Role.STAFF, Role.POS)

    def may_read_customers(self) -> bool:
        return self.role in (Role.ADMIN, Role.STAFF, Role.POS)

    def may_manage_catalog(self) -> bool:
        return self.role in (Role.ADMIN, Role.STAFF)

    def may_see_order(self, location_codes: Iterable[str], customer_email: str | None) -> bool:
        if self.role is Role.CUSTOMER:
            return customer_email is not None and customer_email == self.customer_email
        if self.role in (Role.STAFF, Role.POS):
            return self.sees_all_locations or not self.location_codes.isdisjoint(location_codes)
        return self.role is Role.ADMIN

    # -- changing ------------------------------------------------------------------
    def require(self, allowed: bool, action: str) -> None:
        if not allowed:
            who = self.role.value if self.role else "an anonymous caller"
            raise Forbidden(f"{who} may not {action}")

    def require_admin(self, action: str) -> None:
        self.require(self.role is Role.ADMIN, action)

    def require_catalog_manager(self, action: str) -> None:
        self.require(self.may_manage_catalog(), action)

    def require_works_at(self, location_code: str, action: str) -> None:
        self.require(self.works_at(location_code), f"{action} at {location_code}")
