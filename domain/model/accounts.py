"""Customer accounts: a password for a customer, and proof that its email is theirs.

A customer becomes an account holder by registering with its email. The email may already
be known (from a till, a wholesale order, a clerk): then the account claims that customer,
and every order it placed on any channel appears under the account. Since a claim shows
someone's order history, an account signs in only once its email is verified, by a token
sent to that address (a password reset proves the address too).

Passwords are kept only as hashes (api/passwords.py); these rules say which passwords are
acceptable, following NIST SP 800-63B: long enough, not absurdly long, no composition
rules, and not the email itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from domain.errors import InvalidInput

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256  # hashing an unbounded input is a denial of service


class AccountTokenPurpose(StrEnum):
    VERIFY_EMAIL = "VERIFY_EMAIL"
    RESET_PASSWORD = "RESET_PASSWORD"

    @property
    def lifetime(self) -> timedelta:
        """How long a token sent for this purpose may be used."""
        return timedelta(days=3) if self is AccountTokenPurpose.VERIFY_EMAIL else timedelta(hours=1)


@dataclass
class CustomerAccount:
    customer_id: int
    email: str
    password_hash: str
    created_at: datetime
    password_changed_at: datetime
    verified_at: datetime | None = None
    id: int | None = None

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


@dataclass(frozen=True)
class AccountMessage:
    """What to tell an account holder, with the one-time token it needs; sent by the
    notifier once the transaction that made the token is committed."""

    purpose: AccountTokenPurpose
    email: str
    name: str
    token: str
    expires_at: datetime
    # A reset token sent because someone registered the email again: "you have an account
    # already; if you forgot its password, reset it with this".
    registered_again: bool = False


def acceptable_password(password: str, email: str, *, field: str = "password") -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"a password needs at least {MIN_PASSWORD_LENGTH} characters", field=field
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(
            f"a password may have at most {MAX_PASSWORD_LENGTH} characters", field=field
        )
    if password.strip().lower() == email.lower():
        raise InvalidInput("a password may not be the email address", field=field)
    return password
