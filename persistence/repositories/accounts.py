"""Customer accounts and their one-time tokens; a token is spent by one conditional
UPDATE, so it is used once however many requests present it at the same moment."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.model.accounts import AccountTokenPurpose, CustomerAccount
from persistence.records import AccountTokenRecord, CustomerAccountRecord, CustomerRecord
from persistence.sql_types import AnyRow

ACCOUNT = CustomerAccountRecord
TOKEN = AccountTokenRecord
COLUMNS = (
    ACCOUNT.id,
    ACCOUNT.customer_id,
    CustomerRecord.email,
    ACCOUNT.password_hash,
    ACCOUNT.created_at,
    ACCOUNT.password_changed_at,
    ACCOUNT.verified_at,
)


class SqlAccountRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, account: CustomerAccount) -> CustomerAccount:
        """A second account for one customer breaks the unique customer_id: the unit of
        work's commit turns that into Duplicate (two registrations raced)."""
        account.id = await self.session.scalar(
            insert(ACCOUNT)
            .values(
                customer_id=account.customer_id,
                password_hash=account.password_hash,
                verified_at=account.verified_at,
                created_at=account.created_at,
                password_changed_at=account.password_changed_at,
            )
            .returning(ACCOUNT.id)
        )
        return account

    async def by_email(self, email: str) -> CustomerAccount | None:
        return await self._one(CustomerRecord.email == email)

    async def get(self, account_id: int) -> CustomerAccount | None:
        return await self._one(ACCOUNT.id == account_id)

    async def add_token(
        self,
        account_id: int,
        purpose: AccountTokenPurpose,
        token_digest: str,
        at: datetime,
        expires_at: datetime,
    ) -> None:
        await self.session.execute(
            insert(TOKEN).values(
                account_id=account_id,
                purpose=purpose.value,
                token_hash=token_digest,
                created_at=at,
                expires_at=expires_at,
            )
        )

    async def account_of_token(
        self, purpose: AccountTokenPurpose, token_digest: str, now: datetime
    ) -> int | None:
        return await self.session.scalar(
            select(TOKEN.account_id).where(*_usable(purpose, token_digest, now))
        )

    async def spend_token(
        self, purpose: AccountTokenPurpose, token_digest: str, now: datetime
    ) -> int | None:
        return await self.session.scalar(
            update(TOKEN)
            .where(*_usable(purpose, token_digest, now))
            .values(used_at=now)
            .returning(TOKEN.account_id)
        )

    async def set_password(
        self, account_id: int, new_hash: str, at: datetime, *, replacing: str | None = None
    ) -> bool:
        criteria = [ACCOUNT.id == account_id]
        if replacing is not None:
            criteria.append(ACCOUNT.password_hash == replacing)
        changed = await self.session.execute(
            update(ACCOUNT)
            .where(*criteria)
            .values(password_hash=new_hash, password_changed_at=at)
            .returning(ACCOUNT.id)
        )
        return changed.first() is not None

    async def hold_password(self, account_id: int, password_hash: str) -> bool:
        """SELECT … FOR UPDATE: on PostgreSQL a concurrent change of the password waits
        for this transaction, or this waits for it and then finds the hash changed; on
        SQLite the write transaction holds the one write lock already."""
        held = await self.session.scalar(
            select(ACCOUNT.id)
            .where(ACCOUNT.id == account_id, ACCOUNT.password_hash == password_hash)
            .with_for_update()
        )
        return held is not None

    async def mark_verified(self, account_id: int, at: datetime) -> None:
        await self.session.execute(
            update(ACCOUNT)
            .where(ACCOUNT.id == account_id, ACCOUNT.verified_at.is_(None))
            .values(verified_at=at)
        )

    async def _one(self, criterion: ColumnElement[bool]) -> CustomerAccount | None:
        row = (
            await self.session.execute(
                select(*COLUMNS)
                .join(CustomerRecord, CustomerRecord.id == ACCOUNT.customer_id)
                .where(criterion)
            )
        ).first()
        return _account(row) if row is not None else None


def _usable(
    purpose: AccountTokenPurpose, token_digest: str, now: datetime
) -> tuple[ColumnElement[bool], ...]:
    return (
        TOKEN.token_hash == token_digest,
        TOKEN.purpose == purpose.value,
        TOKEN.used_at.is_(None),
        TOKEN.expires_at > now,
    )


def _account(row: AnyRow) -> CustomerAccount:
    account_id, customer_id, email, password_hash, created, changed, verified = row
    return CustomerAccount(
        id=account_id,
        customer_id=customer_id,
        email=email,
        password_hash=password_hash,
        created_at=created,
        password_changed_at=changed,
        verified_at=verified,
    )
