"""Mutations of customer accounts: register, verify the email, sign in and out, refresh,
reset and change the password (docs/accounts.md).

Sign-in and the other mutations that take a password or an email from an anonymous
caller are rate-limited per email and per client address (OMNIORDER_SIGN_IN_LIMIT_*):
over the limit they change nothing and answer RATE_LIMITED with a Retry-After header.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar

import strawberry

from api.context import Context
from api.errors import ErrorCode, UserError
from api.loaders import reload
from api.mutations.payloads import user_errors_field
from api.mutations.runner import Refusable, UseCase, run_mutation
from api.types.customers import Customer
from api.types.sessions import Session
from domain.commands.accounts import (
    ChangePassword,
    RefreshSession,
    RegisterCustomer,
    RequestPasswordReset,
    ResetPassword,
    SignIn,
    SignOut,
    VerifyCustomerEmail,
)
from domain.model.accounts import AccountMessage
from domain.model.sessions import MAX_LABEL_LENGTH, Revocation, SessionGrant
from domain.usecases import sessions
from domain.usecases.accounts import NewPassword, Registration

P = TypeVar("P", bound=Refusable)
C = TypeVar("C")
R = TypeVar("R")


@strawberry.input(description="A shopper opening an account.")
class RegisterCustomerInput:
    email: str = strawberry.field(
        description="The account's email; a customer already known by it (from a till, a "
        "wholesale order) is claimed, with every order it placed."
    )
    password: str = strawberry.field(
        description="At least 8 characters (at most 256), not the email."
    )
    name: str = strawberry.field(description="Full name (kept as staff recorded it when claimed).")
    phone: str | None = strawberry.field(default=None, description="Phone number.")


@strawberry.input(description="The token sent to a new account's email, and its password.")
class VerifyCustomerEmailInput:
    token: str = strawberry.field(description="As received (valid for 3 days, once).")
    password: str = strawberry.field(
        description="The password the account was registered with: the token proves the "
        "email, the password that whoever registered holds it."
    )


@strawberry.input(description="A customer's email and password.")
class SignInInput:
    email: str = strawberry.field(description="The account's email.")
    password: str = strawberry.field(description="Its password.")
    label: str | None = strawberry.field(
        default=None,
        description="What this session is, for the customer's list (e.g. 'Safari on iPhone'); "
        "at most 200 characters.",
    )


@strawberry.input(description="A refresh token, to renew a signed-in session's access token.")
class RefreshTokenInput:
    refresh_token: str = strawberry.field(description="The latest one received.")


@strawberry.input(description="An email to send a password reset token to.")
class RequestPasswordResetInput:
    email: str = strawberry.field(description="The account's email.")


@strawberry.input(description="A reset token and the new password.")
class ResetPasswordInput:
    token: str = strawberry.field(description="As received (valid for an hour, once).")
    new_password: str = strawberry.field(description="At least 8 characters, not the email.")


@strawberry.input(description="The current password and the new one.")
class ChangePasswordInput:
    current_password: str = strawberry.field(description="The password now.")
    new_password: str = strawberry.field(description="At least 8 characters, not the email.")


@strawberry.type(description="Result of registerCustomer.")
class RegisterCustomerPayload:
    customer: Customer | None = strawberry.field(
        default=None,
        description="The customer the account belongs to (null: refused). Only staff and "
        "the customer itself see it; a new account's holder signs in after verifying.",
    )
    verification_sent: bool = strawberry.field(
        default=False,
        description="A message went to the email: a verification token (verifyCustomerEmail "
        "with it and the password signs the account in), or, if the email has an account "
        "already, a password reset token. The answer is the same either way, so that nobody "
        "learns which emails have accounts.",
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.type(
    description="A signed-in session: send `accessToken` as `Authorization: Bearer …`; "
    "before it expires, refreshToken with `refreshToken` gives a new pair."
)
class SignInPayload:
    access_token: str | None = strawberry.field(
        default=None, description="A bearer token, valid for minutes."
    )
    access_token_expires_at: datetime | None = strawberry.field(
        default=None, description="When the access token expires (UTC)."
    )
    refresh_token: str | None = strawberry.field(
        default=None,
        description="Renews the access token; it changes at every use (keep the newest), and "
        "works until the session expires or is revoked. Store it as a secret.",
    )
    session: Session | None = strawberry.field(default=None, description="The session.")
    user_errors: list[UserError] = user_errors_field()


@strawberry.type(description="Result of a mutation that ended sessions.")
class SignOutPayload:
    revoked_sessions: int = strawberry.field(default=0, description="How many sessions it ended.")
    user_errors: list[UserError] = user_errors_field()


@strawberry.type(description="Result of requestPasswordReset.")
class RequestPasswordResetPayload:
    accepted: bool = strawberry.field(
        default=False,
        description="True whether or not the email has an account (nobody learns which "
        "emails do); if it has, a reset token was sent to it.",
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.type
class AccountMutations:
    @strawberry.mutation(
        description="Open a customer account (anyone). A verification token goes to the email; "
        "the account signs in once verified (verifyCustomerEmail)."
    )
    async def register_customer(
        self, info: strawberry.Info, input: RegisterCustomerInput
    ) -> RegisterCustomerPayload:
        return await _run_limited(
            info,
            RegisterCustomerPayload,
            info.context.session_service.accounts.register,
            lambda: RegisterCustomer(
                input.email,
                input.password,
                input.name,
                input.phone,
                info.context.settings.phone_region,
            ),
            _show_registration,
            email=input.email,
        )

    @strawberry.mutation(
        description="Prove an account's email with the token sent to it: the account is "
        "verified and signed in."
    )
    async def verify_customer_email(
        self, info: strawberry.Info, input: VerifyCustomerEmailInput
    ) -> SignInPayload:
        return await _run_limited(
            info,
            SignInPayload,
            info.context.session_service.accounts.verify_email,
            lambda: VerifyCustomerEmail(input.token, input.password),
            show_grant,
        )

    @strawberry.mutation(
        description="Sign a customer in: an access token and a refresh token. Attempts are "
        "limited per email and per client address (RATE_LIMITED)."
    )
    async def sign_in(self, info: strawberry.Info, input: SignInInput) -> SignInPayload:
        return await _run_limited(
            info,
            SignInPayload,
            info.context.session_service.accounts.sign_in,
            lambda: SignIn(input.email, input.password, _label(input.label)),
            show_grant,
            email=input.email,
        )

    @strawberry.mutation(
        description="A new access token and refresh token for a refresh token, which then "
        "stops working."
    )
    async def refresh_token(self, info: strawberry.Info, input: RefreshTokenInput) -> SignInPayload:
        return await run_mutation(
            info,
            SignInPayload,
            info.context.session_service.accounts.refresh,
            lambda: RefreshSession(input.refresh_token),
            show_grant,
        )

    @strawberry.mutation(description="End the caller's session: its tokens stop working.")
    async def sign_out(self, info: strawberry.Info) -> SignOutPayload:
        return await run_mutation(
            info, SignOutPayload, sessions.sign_out, lambda: SignOut(), _show_revoked
        )

    @strawberry.mutation(
        description="End every session of the caller: for a customer all of its customer's "
        "sessions, on every device; otherwise all of its role and subject."
    )
    async def sign_out_everywhere(self, info: strawberry.Info) -> SignOutPayload:
        return await run_mutation(
            info,
            SignOutPayload,
            sessions.sign_out,
            lambda: SignOut(everywhere=True),
            _show_revoked,
        )

    @strawberry.mutation(
        description="Send a password reset token to an account's email (valid for an hour). "
        "The answer is the same whether the email has an account or not."
    )
    async def request_password_reset(
        self, info: strawberry.Info, input: RequestPasswordResetInput
    ) -> RequestPasswordResetPayload:
        return await _run_limited(
            info,
            RequestPasswordResetPayload,
            info.context.session_service.accounts.request_password_reset,
            lambda: RequestPasswordReset(input.email),
            _show_reset_request,
            email=input.email,
        )

    @strawberry.mutation(
        description="Set a new password with a reset token: every session of the account ends, "
        "the email counts as verified, and a new session begins."
    )
    async def reset_password(
        self, info: strawberry.Info, input: ResetPasswordInput
    ) -> SignInPayload:
        return await _run_limited(
            info,
            SignInPayload,
            info.context.session_service.accounts.reset_password,
            lambda: ResetPassword(input.token, input.new_password),
            _show_new_password_grant,
        )

    @strawberry.mutation(
        description="Change a signed-in customer's password: its other sessions end."
    )
    async def change_password(
        self, info: strawberry.Info, input: ChangePasswordInput
    ) -> SignOutPayload:
        return await _run_limited(
            info,
            SignOutPayload,
            info.context.session_service.accounts.change_password,
            lambda: ChangePassword(input.current_password, input.new_password),
            _show_new_password,
            email=info.context.principal.customer_email,
        )


async def _run_limited(
    info: strawberry.Info,
    payload: type[P],
    use_case: UseCase[C, R],
    command: Callable[[], C],
    show: Callable[[Context, R], Awaitable[P]],
    *,
    email: str | None = None,
) -> P:
    """`run_mutation`, unless the client address (or the email) made too many attempts
    lately: then a RATE_LIMITED refusal with a Retry-After header. Each call is an attempt."""
    context: Context = info.context
    limits = context.settings.rate_limits
    checks = [(limits.sign_in_per_address, context.client_address)]
    if email:
        checks.append((limits.sign_in_per_email, email.strip().lower()))
    for rule, key in checks:
        decision = await context.rate_limiter.hit(rule, key)
        if not decision.allowed:
            wait = decision.retry_after_seconds or 1
            if context.response is not None:
                context.response.headers["Retry-After"] = str(wait)
            message = f"too many attempts; try again in {wait} seconds"
            refusal = UserError(field=None, code=ErrorCode.RATE_LIMITED, message=message)
            return payload(user_errors=[refusal])
    return await run_mutation(info, payload, use_case, command, show)


def _label(label: str | None) -> str | None:
    return label.strip()[:MAX_LABEL_LENGTH] or None if label else None


async def show_grant(context: Context, grant: SessionGrant) -> SignInPayload:
    """A session just begun or renewed, with a fresh access token."""
    access = context.session_service.access_token(grant.session, context.now())
    return SignInPayload(
        access_token=access.token,
        access_token_expires_at=access.expires_at,
        refresh_token=grant.refresh_token,
        session=Session.of(grant.session, grant.session.id),
    )


async def _show_registration(
    context: Context, registration: Registration
) -> RegisterCustomerPayload:
    context.session_service.send_later(registration.message)
    return RegisterCustomerPayload(
        customer=await reload(context.loaders.customer, registration.customer.id),
        verification_sent=True,
    )


async def _show_reset_request(
    context: Context, message: AccountMessage | None
) -> RequestPasswordResetPayload:
    if message is not None:
        context.session_service.send_later(message)
    return RequestPasswordResetPayload(accepted=True)


async def _show_revoked(context: Context, revoked: list[Revocation]) -> SignOutPayload:
    await context.session_service.revoked(revoked)
    return SignOutPayload(revoked_sessions=len(revoked))


async def _show_new_password(context: Context, change: NewPassword) -> SignOutPayload:
    return await _show_revoked(context, change.revoked)


async def _show_new_password_grant(context: Context, change: NewPassword) -> SignInPayload:
    await context.session_service.revoked(change.revoked)
    assert change.grant is not None  # a reset always begins a session
    return await show_grant(context, change.grant)
