"""Use cases of customer accounts: register (claiming a customer already known by its
email), verify the email, sign in, refresh, reset or change the password.

Hashing a password takes tens of milliseconds of CPU on purpose, so it never runs inside
a transaction (on SQLite a transaction that writes holds the one write lock): each use
case reads what it needs, hashes or verifies outside, then writes in a short transaction
that checks nothing changed meanwhile (a token still unspent, a hash still the one
verified).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from domain.access import Principal, Role
from domain.commands.accounts import (
    ChangePassword,
    RefreshSession,
    RegisterCustomer,
    RequestPasswordReset,
    ResetPassword,
    SignIn,
    VerifyCustomerEmail,
)
from domain.errors import (
    AccountNotVerified,
    InvalidCredentials,
    InvalidInput,
    UnusableToken,
)
from domain.model.accounts import (
    AccountMessage,
    AccountTokenPurpose,
    CustomerAccount,
    acceptable_password,
)
from domain.model.customers import Customer, customer_name, normalise_email, normalise_phone
from domain.model.identity import id_of
from domain.model.sessions import (
    Revocation,
    Session,
    SessionGrant,
    SessionKind,
    digest,
    new_secret,
)
from domain.ports import PasswordHasher, UnitOfWork


@dataclass(frozen=True)
class Registration:
    customer: Customer
    message: AccountMessage  # the verification token, to send once committed


@dataclass(frozen=True)
class NewPassword:
    """A password set: the sessions that ended with the old one, and, after a reset, a
    fresh session for the holder."""

    revoked: list[Revocation]
    grant: SessionGrant | None = None


class AccountService:
    """The account use cases, sharing the password hasher and how long a signed-in
    session lasts (its refresh token's lifetime)."""

    def __init__(self, hasher: PasswordHasher, session_lifetime: timedelta) -> None:
        self.hasher = hasher
        self.session_lifetime = session_lifetime
        self._unknown_hash: str | None = None

    async def register(
        self, uow: UnitOfWork, principal: Principal, command: RegisterCustomer, now: datetime
    ) -> Registration:
        """Anyone may register an email; the account signs in once the email is verified.
        A customer already known by the email is claimed as it is (staff's record of its
        name and phone is kept).

        The answer never tells which emails or phones are known: an email that has an
        account already gets a password reset token instead of a verification one ("you
        have an account: reset your password if you forgot it"), and a phone another
        customer has is not stored with the new one."""
        email = normalise_email(command.email)
        password = acceptable_password(command.password, email)
        name = customer_name(command.name)
        phone = (
            normalise_phone(command.phone, region=command.phone_region)
            if command.phone and command.phone.strip()
            else None
        )
        password_hash = await self.hasher.hash(password)
        async with uow:
            customer = await uow.customers.by_email(email)
            existing = await uow.accounts.by_email(email) if customer is not None else None
            if customer is not None and existing is not None:
                message = await _send_token(
                    uow, existing, customer.name, AccountTokenPurpose.RESET_PASSWORD, now
                )
                await uow.commit()
                return Registration(customer, replace(message, registered_again=True))
            if customer is None:
                if phone is not None and await uow.customers.by_phone(phone) is not None:
                    phone = None  # another customer's: not the registrant's to claim
                customer = await uow.customers.add(Customer(email, name, phone), now)
            account = await uow.accounts.add(
                CustomerAccount(id_of(customer), email, password_hash, now, now)
            )
            message = await _send_token(
                uow, account, customer.name, AccountTokenPurpose.VERIFY_EMAIL, now
            )
            await uow.commit()
        return Registration(customer, message)

    async def verify_email(
        self, uow: UnitOfWork, principal: Principal, command: VerifyCustomerEmail, now: datetime
    ) -> SessionGrant:
        """The token proves the email, the password that the registrant is its holder: the
        account is verified and signed in. Asking both keeps anyone from registering
        someone else's email with a password of their own and having the owner verify it
        by following the link."""
        purpose = AccountTokenPurpose.VERIFY_EMAIL
        token_digest = digest(command.token)
        async with uow:
            account_id = await uow.accounts.account_of_token(purpose, token_digest, now)
            account = await uow.accounts.get(account_id) if account_id is not None else None
        if account is None:
            raise UnusableToken("verification token", field="token")
        if not await self.hasher.verify(account.password_hash, command.password):
            raise InvalidCredentials(field="password")
        async with uow:
            if await uow.accounts.spend_token(purpose, token_digest, now) != account.id:
                raise UnusableToken("verification token", field="token")  # spent meanwhile
            if not await uow.accounts.hold_password(id_of(account), account.password_hash):
                raise InvalidCredentials(field="password")  # reset meanwhile
            await uow.accounts.mark_verified(id_of(account), now)
            grant = await self._open(uow, account.email, now, None)
            await uow.commit()
        return grant

    async def sign_in(
        self, uow: UnitOfWork, principal: Principal, command: SignIn, now: datetime
    ) -> SessionGrant:
        try:
            email = normalise_email(command.email)
        except InvalidInput:
            raise InvalidCredentials() from None
        # The password verified must still be the account's when the session opens: a
        # reset or change committed meanwhile revoked the sessions it saw, and would miss
        # this one. A concurrent sign-in that rehashed the same password changed the hash
        # too, so a changed hash is verified once more before the answer is no.
        for _ in range(2):
            account = await self._verified_account(uow, email, command.password)
            rehashed = (
                await self.hasher.hash(command.password)
                if self.hasher.needs_rehash(account.password_hash)
                else None
            )
            async with uow:
                if await uow.accounts.hold_password(id_of(account), account.password_hash):
                    if rehashed is not None:  # the hasher's parameters grew since
                        await uow.accounts.set_password(id_of(account), rehashed, now)
                    grant = await self._open(uow, email, now, command.label)
                    await uow.commit()
                    return grant
        raise InvalidCredentials()

    async def _verified_account(
        self, uow: UnitOfWork, email: str, password: str
    ) -> CustomerAccount:
        """The account whose password `password` is, if it is verified."""
        async with uow:
            account = await uow.accounts.by_email(email)
        # An unknown email costs a verification too, so timing tells nothing either.
        stored = account.password_hash if account else await self._hash_of_nobody()
        if not await self.hasher.verify(stored, password) or account is None:
            raise InvalidCredentials()
        if not account.is_verified:
            raise AccountNotVerified(
                "verify your email first: follow the link sent when you registered, or "
                "reset your password",
                field="email",
            )
        return account

    async def refresh(
        self, uow: UnitOfWork, principal: Principal, command: RefreshSession, now: datetime
    ) -> SessionGrant:
        """A new refresh token for the old one, which stops working (rotation); the
        session's lifetime is not extended."""
        old = digest(command.refresh_token)
        new_token = new_secret()
        async with uow:
            session = await uow.sessions.by_refresh_digest(old)
            if session is None or not session.is_live(now):
                raise UnusableToken("refresh token", field="refreshToken")
            if not await uow.sessions.rotate_refresh(id_of(session), old, digest(new_token), now):
                raise UnusableToken("refresh token", field="refreshToken")
            await uow.commit()
        session.refreshed_at = now
        return SessionGrant(session, new_token)

    async def request_password_reset(
        self, uow: UnitOfWork, principal: Principal, command: RequestPasswordReset, now: datetime
    ) -> AccountMessage | None:
        """A reset token for the account, if the email has one; the caller is told the
        same either way."""
        try:
            email = normalise_email(command.email)
        except InvalidInput:
            return None
        async with uow:
            account = await uow.accounts.by_email(email)
            if account is None:
                return None
            customer = await uow.customers.get(account.customer_id)
            name = customer.name if customer is not None else email
            message = await _send_token(uow, account, name, AccountTokenPurpose.RESET_PASSWORD, now)
            await uow.commit()
        return message

    async def reset_password(
        self, uow: UnitOfWork, principal: Principal, command: ResetPassword, now: datetime
    ) -> NewPassword:
        """The token proves the email, so the account is verified too; every session of
        the account ends (whoever knew the old password is signed out) and a new one
        starts for the holder."""
        purpose = AccountTokenPurpose.RESET_PASSWORD
        token_digest = digest(command.token)
        async with uow:
            account_id = await uow.accounts.account_of_token(purpose, token_digest, now)
            account = await uow.accounts.get(account_id) if account_id is not None else None
        if account is None:
            raise UnusableToken("reset token", field="token")
        password = acceptable_password(command.new_password, account.email, field="newPassword")
        password_hash = await self.hasher.hash(password)
        async with uow:
            if await uow.accounts.spend_token(purpose, token_digest, now) != account.id:
                raise UnusableToken("reset token", field="token")  # spent meanwhile
            await uow.accounts.set_password(id_of(account), password_hash, now)
            if not account.is_verified:
                await uow.accounts.mark_verified(id_of(account), now)
            revoked = await uow.sessions.revoke("password reset", now, customer_email=account.email)
            grant = await self._open(uow, account.email, now, None)
            await uow.commit()
        return NewPassword(revoked, grant)

    async def change_password(
        self, uow: UnitOfWork, principal: Principal, command: ChangePassword, now: datetime
    ) -> NewPassword:
        """A signed-in customer changes its password with the current one; its other
        sessions end, this one goes on."""
        principal.require(
            principal.role is Role.CUSTOMER and principal.customer_email is not None,
            "change a password (only a signed-in customer may)",
        )
        email = principal.customer_email or ""
        async with uow:
            account = await uow.accounts.by_email(email)
        if account is None or not await self.hasher.verify(
            account.password_hash, command.current_password
        ):
            raise InvalidCredentials(field="currentPassword")
        password = acceptable_password(command.new_password, email, field="newPassword")
        password_hash = await self.hasher.hash(password)
        async with uow:
            if not await uow.accounts.set_password(
                id_of(account), password_hash, now, replacing=account.password_hash
            ):
                raise InvalidCredentials(field="currentPassword")  # changed meanwhile
            revoked = await uow.sessions.revoke(
                principal.subject, now, customer_email=email, except_id=principal.session_id
            )
            await uow.commit()
        return NewPassword(revoked)

    async def _open(
        self, uow: UnitOfWork, email: str, now: datetime, label: str | None
    ) -> SessionGrant:
        holder = Principal(role=Role.CUSTOMER, subject=email, customer_email=email)
        session = Session.for_principal(
            SessionKind.SIGN_IN, holder, now, now + self.session_lifetime, label
        )
        refresh_token = new_secret()
        return SessionGrant(await uow.sessions.add(session, digest(refresh_token)), refresh_token)

    async def _hash_of_nobody(self) -> str:
        if self._unknown_hash is None:
            self._unknown_hash = await self.hasher.hash(new_secret())
        return self._unknown_hash


async def _send_token(
    uow: UnitOfWork,
    account: CustomerAccount,
    name: str,
    purpose: AccountTokenPurpose,
    now: datetime,
) -> AccountMessage:
    token = new_secret()
    expires_at = now + purpose.lifetime
    await uow.accounts.add_token(id_of(account), purpose, digest(token), now, expires_at)
    return AccountMessage(purpose, account.email, name, token, expires_at)
