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
class SetWebhookActive:
    """Disable a webhook, or enable it again (which forgets its failures)."""

    webhook_id: int
    active: bool


@dataclass(frozen=True)
class ReplayWebhook:
    """Send again every retained event from `from_sequence` on (outbox positions)."""

    webhook_id: int
    from_sequence: int
