"""Use cases for webhooks: admins register, change, delete, disable, enable and replay them.

Deliveries themselves are not use cases: the outbox relay queues them as it publishes
events, and the dispatcher sends them (api/webhooks/).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from domain.access import Principal
from domain.commands.webhooks import (
    CreateWebhook,
    DeleteWebhook,
    ReplayWebhook,
    SetWebhookActive,
    UpdateWebhook,
)
from domain.errors import InvalidInput, NotFound
from domain.model.identity import id_of
from domain.model.webhooks import (
    Webhook,
    changed_webhook,
    check_addresses,
    host_of,
    new_webhook,
    webhook_url,
)
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
    await _check_host(webhook.url, resolve, allow_private=allow_private)
    async with uow:
        webhook = await uow.webhooks.add(webhook)
        await uow.commit()
    return webhook


async def update_webhook(
    uow: UnitOfWork,
    principal: Principal,
    command: UpdateWebhook,
    now: datetime,
    *,
    resolve: Resolve,
    allow_private: bool,
) -> Webhook:
    """Change a webhook's URL, events, secret or query, checked as at creation. What is
    pending follows: its deliveries go to the new URL, signed with the new secret; those
    whose body was not rendered yet get the new query's."""
    principal.require_admin("change webhooks")
    if command.url is not None:
        await _check_host(webhook_url(command.url), resolve, allow_private=allow_private)
    async with uow:
        webhook = changed_webhook(
            await _known(uow, command.webhook_id),
            url=command.url,
            events=command.events,
            secret=command.secret,
            query=command.query,
        )
        await uow.webhooks.update(webhook)
        await uow.commit()
    return webhook


async def delete_webhook(
    uow: UnitOfWork, principal: Principal, command: DeleteWebhook, now: datetime
) -> Webhook:
    """Delete a webhook with all its deliveries, pending or past; returns it as it was."""
    principal.require_admin("delete webhooks")
    async with uow:
        webhook = await _known(uow, command.webhook_id)
        await uow.webhooks.delete(command.webhook_id)
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


async def _check_host(url: str, resolve: Resolve, *, allow_private: bool) -> None:
    """InvalidInput unless the URL's host resolves to addresses a webhook may be sent to."""
    host = host_of(url)
    check_addresses(host, await resolve(host), allow_private=allow_private)


async def _known(uow: UnitOfWork, webhook_id: int) -> Webhook:
    webhook = await uow.webhooks.get(webhook_id)
    if webhook is None:
        raise NotFound.no_such("webhook", field="webhookId")
    return webhook
