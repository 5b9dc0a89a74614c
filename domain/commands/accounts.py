"""Commands of customer accounts and sessions."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RegisterCustomer:
    email: str
    password: str
    name: str
    phone: str | None = None
    phone_region: str | None = None  # as in CreateCustomer


@dataclass(frozen=True)
class VerifyCustomerEmail:
    token: str
    password: str


@dataclass(frozen=True)
class SignIn:
    email: str
    password: str
    label: str | None = None  # what the session is, for its holder: "Safari on iPhone"


@dataclass(frozen=True)
class RefreshSession:
    refresh_token: str


@dataclass(frozen=True)
class RequestPasswordReset:
    email: str


@dataclass(frozen=True)
class ResetPassword:
    token: str
    new_password: str


@dataclass(frozen=True)
class ChangePassword:
    current_password: str
    new_password: str


@dataclass(frozen=True)
class SignOut:
    everywhere: bool = False


@dataclass(frozen=True)
class RevokeSession:
    session_id: int


@dataclass(frozen=True)
class DeactivatePosTerminal:
    terminal_id: int
