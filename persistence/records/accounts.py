"""Tables of sign-in: sessions (every token we issue belongs to one), customers' accounts
and the one-time tokens mailed to them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from persistence.records.base import Base, UtcDateTime


class SessionRecord(Base):
    """A session: who its tokens speak for, until when, and whether it was revoked. Only a
    digest of its refresh token is kept (a sign-in session's; others have none)."""

    __tablename__ = "auth_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(10))
    subject: Mapped[str] = mapped_column(String(255))
    location_codes: Mapped[str] = mapped_column(String(1000))  # comma-separated
    customer_email: Mapped[str | None] = mapped_column(String(254), index=True)
    terminal_id: Mapped[int | None] = mapped_column(ForeignKey("pos_terminals.id"), index=True)
    label: Mapped[str | None] = mapped_column(String(200))
    refresh_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    refreshed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    revoked_by: Mapped[str | None] = mapped_column(String(255))


class CustomerAccountRecord(Base):
    """A customer's password (an argon2 hash), and when its email was proved theirs."""

    __tablename__ = "customer_accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    verified_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    password_changed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AccountTokenRecord(Base):
    """A one-time token sent to a customer (to verify the email, or reset the password);
    only its digest is kept, and it is spent once."""

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("customer_accounts.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
