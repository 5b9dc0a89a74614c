"""Use cases for webhooks: admins register, disable, enable and replay them.

Deliveries themselves are not use cases: the outbox relay queues them as it publishes
events, and the dispatcher sends them (api/webhooks/).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from domain.access import Principal
from domain.commands.webhooks import CreateWebhook, ReplayWebhook, SetWebhookActive
from domain.errors import InvalidInput, NotFound
from domain.model.identity import id_of
from domain.model.webhooks import Webhook, check_addresses, host_of, new_webhook
from domain.ports import UnitOfWork

# Looks a host name up: the addresses it resolves to (an address resolves to itself).
Resolve = Callable[[str], Awaitable[list[str]]]


async def create_webhook(
    uow: UnitOfWork,
    principal: Principal,
    command: CreateWebhook,
    now: datetime,
    *,
    resolve: Resolve,
    allow_private: bool,
) -> Webhook:
    principal.require_admin("create webhooks")
    webhook = new_webhook(
        command.url,
        command.events,
        command.secret,
        command.query,
        created_by=principal.subject,
        at=now,
    )
    host = host_of(webhook.url)
    check_addresses(host, await resolve(host), allow_private=allow_private)
    async with uow:
        webhook = await uow.webhooks.add(webhook)
        await uow.commit()
    return webhook


async def set_webhook_active(
    uow: UnitOfWork, principal: Principal, command: SetWebhookActive, now: datetime
) -> Webhook:
    """Disable a webhook (its pending deliveries wait, and it gets no new ones), or enable
    it: its count of failed deliveries starts again from zero, and what waits is sent."""
    principal.require_admin("enable or disable webhooks")
    async with uow:
        webhook = await _known(uow, command.webhook_id)
        if command.active:
            await uow.webhooks.enable(command.webhook_id)
        else:
            await uow.webhooks.disable(command.webhook_id, f"by {principal.subject}", now)
        await uow.commit()
    return webhook


async def replay_webhook(
    uow: UnitOfWork, principal: Principal, command: ReplayWebhook, now: datetime
) -> Webhook:
    """Queue a new delivery of every event of the webhook's kinds whose sequence is at
    least `from_sequence` and which the outbox still retains."""
    principal.require_admin("replay webhooks")
    if command.from_sequence < 1:
        raise InvalidInput("fromSequence starts at 1", field="fromSequence")
    async with uow:
        webhook = await _known(uow, command.webhook_id)
        await uow.webhooks.queue_replay(id_of(webhook), command.from_sequence, now)
        await uow.commit()
    return webhook


async def _known(uow: UnitOfWork, webhook_id: int) -> Webhook:
    webhook = await uow.webhooks.get(webhook_id)
    if webhook is None:
        raise NotFound.no_such("webhook", field="webhookId")
    return webhook
