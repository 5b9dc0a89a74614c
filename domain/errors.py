"""Domain errors: the one hierarchy every business rule raises.

    DomainError
    ├── NotFound            a referenced thing does not exist (or the caller may not see it)
    ├── Forbidden           the caller may not do this
    ├── InvalidInput        the request breaks a rule about its own shape or values
    │   └── InvalidAddress  an address with one or more fields at fault, each listed
    ├── Duplicate           a unique value (sku, code, email) is already taken
    ├── InsufficientStock   not enough available units to reserve or remove
    ├── ComponentShortage   a work order's components are short, each one listed
    ├── StaleQuantity       a compare-and-set saw a level that changed meanwhile
    ├── BelowMinimumQuantity  a line asks fewer units than its wholesale terms allow
    ├── SlotFull            a location's time slot for a service has no place left
    ├── InvalidTransition   a document's state machine does not allow the change
    ├── InvalidCredentials  an email and password that do not match an account
    ├── AccountNotVerified  an account whose email is not yet proved its holder's
    ├── UnusableToken       a refresh, reset or verification token that is unknown,
    │                       spent, revoked or expired
    ├── AmountExceedsBalance  a capture above what is held, a refund above what was
    │                       captured and not refunded, an allocation above what is open
    ├── PaymentDeclined     a payment provider refused a capture, void or refund
    ├── CreditLimitExceeded  a wholesale order would take its customer past its credit limit
    ├── CategoryCycle       a category would sit below itself (moved under its own descendant)
    ├── CategoryHasChildren  a category that still has subcategories cannot be deleted
    ├── OptionCombinationTaken  another variant of the product selects the same option values
    ├── OptionValueInUse    product options would drop a value variants still select
    ├── NotPublished        an order on a channel holds a product not published there
    ├── UnsupportedMediaType  an upload of a type the catalog does not take
    ├── FileTooLarge        an upload above the size limit
    ├── InvalidImage        an upload whose bytes are not an image of the type it claims
    ├── ShippingUnavailable  no shipping method can take this order (none named, none for
    │                       its address and channel, or a parcel too heavy for it)
    ├── VoucherInvalid      a voucher code that is unknown, expired, not yet valid, not
    │                       for this channel, or whose conditions the order does not meet
    └── VoucherUsedUp       a voucher code used as many times as it may be, in all or by
                            this customer

Errors know nothing of GraphQL: `api/errors.py` maps each class to a code.
Every error carries `field`, the input path it is about, when there is one.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every business-rule failure; `message` is written for a person."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def parts(self) -> list[DomainError]:
        """The problems to report one by one: this one, unless it gathers several."""
        return [self]


class NotFound(DomainError):
    @classmethod
    def of(cls, kind: str, key: object, *, field: str | None = None) -> NotFound:
        """Nothing of this kind has the key the caller wrote (a SKU, a code, an email)."""
        return cls(f"{kind} {key} not found", field=field)

    @classmethod
    def no_such(cls, kind: str, *, field: str | None = None) -> NotFound:
        """The thing the caller named by its id does not exist, or the caller may not see
        it. The message names no id: an internal one means nothing to a person, and it
        must not tell what exists beyond the caller's sight."""
        return cls(f"no such {kind}", field=field)


class Forbidden(DomainError):
    pass


class InvalidInput(DomainError):
    pass


class InvalidAddress(InvalidInput):
    """An address with several fields at fault: each is its own problem (`parts`)."""

    def __init__(self, problems: list[InvalidInput]) -> None:
        super().__init__("; ".join(problem.message for problem in problems), field=None)
        self.problems = problems

    def parts(self) -> list[DomainError]:
        return list(self.problems)


class Duplicate(DomainError):
    pass


class InsufficientStock(DomainError):
    """Not enough units; `held` names the quantity that was short (available, damaged…)."""

    def __init__(
        self,
        sku: str,
        location: str,
        available: int,
        requested: int,
        *,
        field: str | None = None,
        held: str = "available",
    ) -> None:
        super().__init__(
            f"SKU {sku}: {available} {held} at {location}, {requested} requested", field=field
        )
        self.sku = sku
        self.location = location
        self.available = available
        self.requested = requested


class ComponentShortage(DomainError):
    """A work order cannot reserve its components: `shortages` lists every component short,
    as (sku, needed, available)."""

    def __init__(
        self,
        document: str,
        location: str,
        shortages: list[tuple[str, int, int]],
        *,
        field: str | None = None,
    ) -> None:
        listed = "; ".join(
            f"SKU {sku}: {needed} needed, {available} available"
            for sku, needed, available in shortages
        )
        super().__init__(f"{document} is short of components at {location}: {listed}", field=field)
        self.document = document
        self.location = location
        self.shortages = shortages

    def parts(self) -> list[DomainError]:
        """One shortage per component, so a client can list them."""
        return [
            ComponentShortage(self.document, self.location, [shortage], field=self.field)
            for shortage in self.shortages
        ]


class BelowMinimumQuantity(DomainError):
    """A line asks for fewer units than its customer group's terms allow per order."""

    def __init__(
        self, sku: str, group_code: str, minimum: int, requested: int, *, field: str | None = None
    ) -> None:
        super().__init__(
            f"SKU {sku}: at least {minimum} per order for group {group_code}, "
            f"{requested} requested",
            field=field,
        )
        self.sku = sku
        self.group_code = group_code
        self.minimum = minimum
        self.requested = requested


class StaleQuantity(DomainError):
    def __init__(
        self, sku: str, location: str, expected: int, actual: int, *, field: str = "expectedOnHand"
    ) -> None:
        super().__init__(
            f"SKU {sku} at {location}: on hand is {actual}, not the expected {expected}; "
            "reload and try again",
            field=field,
        )
        self.expected = expected
        self.actual = actual


class SlotFull(DomainError):
    """Every place of a service's time slot at a location is booked."""

    def __init__(self, sku: str, location: str, slot: str, capacity: int) -> None:
        super().__init__(
            f"SKU {sku} at {location}: the slot {slot} is full ({capacity} booked); "
            "choose another time",
            field="scheduledAt",
        )
        self.sku = sku
        self.location = location
        self.capacity = capacity


class InvalidTransition(DomainError):
    def __init__(self, document: str, current: str, target: str) -> None:
        super().__init__(f"{document} cannot go from {current} to {target}", field="id")
        self.current = current
        self.target = target


class InvalidCredentials(DomainError):
    """Sign-in refused. The message is the same whether the email has no account or the
    password is wrong, so that nobody learns which emails have accounts."""

    def __init__(self, field: str | None = None) -> None:
        super().__init__("the email or the password is wrong", field=field)


class AccountNotVerified(DomainError):
    pass


class UnusableToken(DomainError):
    """A token sent back to us is unknown, used already, revoked or expired; which of
    these is not said."""

    def __init__(self, kind: str, *, field: str | None = None) -> None:
        super().__init__(f"this {kind} is unknown, used or expired", field=field)


class AmountExceedsBalance(DomainError):
    def __init__(self, message: str, *, field: str = "amount") -> None:
        super().__init__(message, field=field)


class PaymentDeclined(DomainError):
    """The provider refused; nothing changed."""

    def __init__(self, action: str, reason: str) -> None:
        super().__init__(f"the provider declined to {action}: {reason or 'no reason given'}")


class CreditLimitExceeded(DomainError):
    def __init__(self, message: str) -> None:
        super().__init__(message, field="lines")


class CategoryCycle(DomainError):
    def __init__(self, message: str, *, field: str = "parentId") -> None:
        super().__init__(message, field=field)


class CategoryHasChildren(DomainError):
    def __init__(self, message: str, *, field: str = "id") -> None:
        super().__init__(message, field=field)


class NotPublished(DomainError):
    """An order on a channel holds a product that is not published on it."""


class OptionCombinationTaken(DomainError):
    """Another variant of the product already selects these option values (`combination`,
    as "Size: M / Colour: Red"); `sku` names it when known."""

    def __init__(self, combination: str, *, sku: str | None = None, field: str | None) -> None:
        owner = f"variant {sku}" if sku else "another variant of the product"
        super().__init__(f"{owner} already has {combination}", field=field)


class OptionValueInUse(DomainError):
    """Product options may not drop a value a variant still selects; `in_use` names each
    (option, value) as "Size: XS"."""

    def __init__(self, in_use: list[str], *, field: str = "options") -> None:
        super().__init__(
            f"variants still select {', '.join(in_use)}; give them other values first "
            "(setVariantOptions)",
            field=field,
        )


class UnsupportedMediaType(DomainError):
    pass


class FileTooLarge(DomainError):
    pass


class InvalidImage(DomainError):
    pass


class ShippingUnavailable(DomainError):
    """No shipping method can take the order as it is."""


class VoucherInvalid(DomainError):
    """A voucher code the order cannot use; the message says why."""


class VoucherUsedUp(DomainError):
    """A voucher code that reached its usage limit, in all or for this customer."""
