"""Webhooks: where events are sent, which ones, and what becomes of each delivery.

A webhook names an http(s) URL, the kinds of events it wants, a secret that signs every
request, and optionally a GraphQL subscription document that chooses the payload's fields.
Each event of a wanted kind becomes a delivery, retried with exponential backoff until the
receiver answers 2xx or the attempts run out (FAILED); after `disable_after` deliveries in a
row have FAILED, the webhook is disabled until an admin enables it again.

Receivers must not be able to turn the server against its own network: a webhook's host
must resolve to public addresses only, unless private ones are explicitly allowed.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit

from domain.errors import InvalidInput

SCHEMES = ("http", "https")
MAX_URL_LENGTH = 2000
MIN_SECRET_LENGTH = 16
MAX_SECRET_LENGTH = 255
MAX_QUERY_LENGTH = 10_000
MAX_RETRY_DELAY = timedelta(hours=6)


class WebhookEventType(StrEnum):
    """The kinds of events a webhook may follow; each value is the event's message kind."""

    ORDER_STATUS_CHANGED = "OrderStatusChanged"
    ORDER_PAYMENT_CHANGED = "OrderPaymentChanged"
    TRANSFER_STATUS_CHANGED = "TransferStatusChanged"
    PURCHASE_ORDER_STATUS_CHANGED = "PurchaseOrderStatusChanged"
    RETURN_STATUS_CHANGED = "ReturnStatusChanged"
    SHIPMENT_STATUS_CHANGED = "ShipmentStatusChanged"
    WORK_ORDER_STATUS_CHANGED = "WorkOrderStatusChanged"
    STOCK_LEVEL_CHANGED = "StockLevelChanged"


class DeliveryStatus(StrEnum):
    PENDING = "PENDING"  # waiting for its next attempt (or being sent)
    DELIVERED = "DELIVERED"  # the receiver answered 2xx
    FAILED = "FAILED"  # every attempt failed; only a replay sends the event again


@dataclass(frozen=True, slots=True)
class Webhook:
    id: int | None
    url: str
    events: tuple[WebhookEventType, ...]
    secret: str
    query: str | None
    created_at: datetime
    created_by: str
    active: bool = True
    consecutive_failures: int = 0


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How deliveries are retried, and when a failing webhook is disabled."""

    base_seconds: float = 30.0
    max_attempts: int = 8
    disable_after: int = 5  # deliveries in a row that FAILED

    def delay_after(self, attempts: int) -> timedelta:
        """The wait before the next attempt, after `attempts` failed ones: base, twice
        that, four times…, at most MAX_RETRY_DELAY."""
        seconds = self.base_seconds * 2 ** min(attempts - 1, 30)
        return min(timedelta(seconds=seconds), MAX_RETRY_DELAY)

    def gives_up_after(self, attempts: int) -> bool:
        return attempts >= self.max_attempts

    def disables_after(self, consecutive_failures: int) -> bool:
        return consecutive_failures >= self.disable_after


def new_webhook(
    url: str,
    events: Sequence[WebhookEventType],
    secret: str,
    query: str | None,
    *,
    created_by: str,
    at: datetime,
) -> Webhook:
    """A webhook, if its URL, events and secret are acceptable (InvalidInput otherwise);
    whether its host resolves to allowed addresses is checked apart (`check_addresses`)."""
    if not events:
        raise InvalidInput("name at least one event type", field="events")
    if len(set(events)) != len(events):
        raise InvalidInput("each event type may be named once", field="events")
    if not MIN_SECRET_LENGTH <= len(secret) <= MAX_SECRET_LENGTH:
        raise InvalidInput(
            f"the secret must be {MIN_SECRET_LENGTH}-{MAX_SECRET_LENGTH} characters long",
            field="secret",
        )
    query = (query or "").strip() or None
    if query is not None and len(query) > MAX_QUERY_LENGTH:
        raise InvalidInput(f"the query may be at most {MAX_QUERY_LENGTH} characters", field="query")
    return Webhook(
        id=None,
        url=webhook_url(url),
        events=tuple(events),
        secret=secret,
        query=query,
        created_at=at,
        created_by=created_by,
    )


def changed_webhook(
    webhook: Webhook,
    *,
    url: str | None = None,
    events: Sequence[WebhookEventType] | None = None,
    secret: str | None = None,
    query: str | None = None,
) -> Webhook:
    """The webhook with what is given changed (None: as it is; a blank `query`: none),
    if the result passes the checks a new webhook does (InvalidInput otherwise)."""
    checked = new_webhook(
        webhook.url if url is None else url,
        webhook.events if events is None else events,
        webhook.secret if secret is None else secret,
        webhook.query if query is None else query,
        created_by=webhook.created_by,
        at=webhook.created_at,
    )
    return replace(
        webhook,
        url=checked.url,
        events=checked.events,
        secret=checked.secret,
        query=checked.query,
    )


def webhook_url(url: str) -> str:
    """The URL, trimmed, if it is an absolute http(s) URL with a host and no credentials."""
    url = url.strip()
    if len(url) > MAX_URL_LENGTH:
        raise InvalidInput(f"url may be at most {MAX_URL_LENGTH} characters", field="url")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port out of range)
    except ValueError:
        raise InvalidInput(f"url {url!r} is not a valid URL", field="url") from None
    if parts.scheme.lower() not in SCHEMES:
        raise InvalidInput(
            f"url must start with http:// or https://, got {parts.scheme or 'no'} scheme",
            field="url",
        )
    if not parts.hostname:
        raise InvalidInput("url names no host", field="url")
    if parts.username is not None or parts.password is not None:
        raise InvalidInput(
            "url may not carry credentials (user:password@); the signature authenticates "
            "each request",
            field="url",
        )
    return url


def host_of(url: str) -> str:
    """The host an accepted webhook URL names (an IPv6 address without brackets)."""
    host = urlsplit(url).hostname
    assert host is not None, "webhook_url accepted a URL without a host"
    return host


def is_public(address: str) -> bool:
    """Whether an IP address belongs to the public internet: not private, loopback,
    link-local, shared, reserved, unspecified or multicast (IPv4 inside IPv6 included)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_addresses(host: str, addresses: Iterable[str], *, allow_private: bool) -> None:
    """InvalidInput unless `host` resolved to at least one address and, private ones not
    being allowed, to public ones only (a host with one private address among public ones
    could be steered to it)."""
    found = list(addresses)
    if not found:
        raise InvalidInput(f"url: host {host} does not resolve to any address", field="url")
    if allow_private:
        return
    private = [address for address in found if not is_public(address)]
    if private:
        raise InvalidInput(
            f"url: host {host} resolves to {private[0]}, a private, loopback or reserved "
            "address; webhooks are sent to public addresses only",
            field="url",
        )
