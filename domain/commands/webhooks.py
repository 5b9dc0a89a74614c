"""Commands on webhooks: what an admin asks, as plain frozen data."""

from __future__ import annotations

from dataclasses import dataclass

from domain.model.webhooks import WebhookEventType


@dataclass(frozen=True)
class CreateWebhook:
    url: str
    events: tuple[WebhookEventType, ...]
    secret: str
    query: str | None = None


@dataclass(frozen=True)
class UpdateWebhook:
    """Change what is given of a webhook; None leaves a field as it is. `query` "" (or
    blank) removes the query, so the event's own message is sent."""

    webhook_id: int
    url: str | None = None
    events: tuple[WebhookEventType, ...] | None = None
    secret: str | None = None
    query: str | None = None


@dataclass(frozen=True)
class DeleteWebhook:
    webhook_id: int


@dataclass(frozen=True)
class SetWebhookActive:
    """Disable a webhook, or enable it again (which forgets its failures)."""

    webhook_id: int
    active: bool


@dataclass(frozen=True)
class ReplayWebhook:
    """Send again every retained event from `from_sequence` on (outbox positions)."""

    webhook_id: int
    from_sequence: int
