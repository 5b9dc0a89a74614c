"""Mutations on webhooks (ADMIN): create, disable, enable, replay."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import datetime

import strawberry

from api.context import Context
from api.errors import UserError
from api.mutations.payloads import user_errors_field
from api.mutations.runner import key_of, run_mutation
from api.types.webhooks import Webhook as WebhookType
from api.types.webhooks import webhooks_by_ids
from api.webhooks.addresses import resolve
from api.webhooks.payloads import check_query
from domain.access import Principal
from domain.commands.webhooks import CreateWebhook, ReplayWebhook, SetWebhookActive
from domain.model.identity import id_of
from domain.model.webhooks import Webhook, WebhookEventType
from domain.ports import UnitOfWork
from domain.usecases import webhooks


@strawberry.type(description="Result of a mutation on a webhook.")
class WebhookPayload:
    webhook: WebhookType | None = strawberry.field(
        default=None, description="The webhook, when it succeeded."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.input(description="A new webhook.")
class CreateWebhookInput:
    url: str = strawberry.field(
        description="Where to POST events: http(s), a host that resolves to public addresses "
        "only (private ones only where the server allows them)."
    )
    events: list[WebhookEventType] = strawberry.field(
        description="The event types to send, at least one."
    )
    secret: str = strawberry.field(
        description="16-255 characters that sign every request (Omniorder-Signature); kept "
        "to sign, never shown again."
    )
    query: str | None = strawberry.field(
        default=None,
        description="A subscription document on `event` choosing each payload's fields, "
        "e.g. `subscription { event { ... on OrderStatusEvent { order { number } } } }`; "
        "null sends the event's own message.",
    )


@strawberry.input(description="The webhook to disable or enable.")
class WebhookIdInput:
    webhook_id: strawberry.ID = strawberry.field(description="The webhook.")


@strawberry.input(description="Events to send a webhook again.")
class ReplayWebhookInput:
    webhook_id: strawberry.ID = strawberry.field(description="The webhook.")
    from_sequence: int = strawberry.field(
        description="The first event's sequence (Omniorder-Sequence); every later event of "
        "the webhook's types is sent again too, as far as the outbox still holds them."
    )


async def _show(context: Context, webhook: Webhook) -> WebhookPayload:
    found = await webhooks_by_ids(context.database, [id_of(webhook)])
    return WebhookPayload(webhook=found[id_of(webhook)])


async def _set_active(
    info: strawberry.Info, input: WebhookIdInput, *, active: bool
) -> WebhookPayload:
    return await run_mutation(
        info,
        WebhookPayload,
        webhooks.set_webhook_active,
        lambda: SetWebhookActive(key_of(input.webhook_id, "Webhook", "webhookId"), active),
        _show,
    )


@strawberry.type
class WebhookMutations:
    @strawberry.mutation(description="Create a webhook (ADMIN).")
    async def create_webhook(
        self, info: strawberry.Info, input: CreateWebhookInput
    ) -> WebhookPayload:
        allow_private = info.context.settings.webhooks.allow_private

        def command() -> CreateWebhook:
            if input.query is not None and input.query.strip():
                check_query(info.schema, input.query)
            return CreateWebhook(input.url, tuple(input.events), input.secret, input.query)

        def create(
            uow: UnitOfWork, principal: Principal, command: CreateWebhook, now: datetime
        ) -> Awaitable[Webhook]:
            return webhooks.create_webhook(
                uow, principal, command, now, resolve=resolve, allow_private=allow_private
            )

        return await run_mutation(info, WebhookPayload, create, command, _show)

    @strawberry.mutation(
        description="Disable a webhook (ADMIN): it gets no new deliveries, and its pending "
        "ones wait until it is enabled."
    )
    async def disable_webhook(self, info: strawberry.Info, input: WebhookIdInput) -> WebhookPayload:
        return await _set_active(info, input, active=False)

    @strawberry.mutation(
        description="Enable a webhook again (ADMIN): its failures in a row start from zero, "
        "and its pending deliveries are sent."
    )
    async def enable_webhook(self, info: strawberry.Info, input: WebhookIdInput) -> WebhookPayload:
        return await _set_active(info, input, active=True)

    @strawberry.mutation(
        description="Send a webhook every event of its types from a sequence number on, as "
        "far as the outbox still holds them (a day), as new deliveries (ADMIN)."
    )
    async def replay_webhook(
        self, info: strawberry.Info, input: ReplayWebhookInput
    ) -> WebhookPayload:
        return await run_mutation(
            info,
            WebhookPayload,
            webhooks.replay_webhook,
            lambda: ReplayWebhook(
                key_of(input.webhook_id, "Webhook", "webhookId"), input.from_sequence
            ),
            _show,
        )
