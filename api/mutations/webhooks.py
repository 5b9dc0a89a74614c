"""Mutations on webhooks (ADMIN): create, update, delete, disable, enable, replay."""

from __future__ import annotations

from functools import partial
from typing import TypedDict

import strawberry
from strawberry.relay.utils import to_base64

from api.context import Context
from api.errors import UserError
from api.mutations.payloads import user_errors_field
from api.mutations.runner import key_of, run_mutation
from api.types.webhooks import Webhook as WebhookType
from api.types.webhooks import webhooks_by_ids
from api.webhooks.addresses import resolve
from api.webhooks.payloads import check_query
from domain.commands.webhooks import (
    CreateWebhook,
    DeleteWebhook,
    ReplayWebhook,
    SetWebhookActive,
    UpdateWebhook,
)
from domain.model.identity import id_of
from domain.model.webhooks import Webhook, WebhookEventType
from domain.usecases import webhooks
from domain.usecases.webhooks import Resolve

QUERY_DESCRIPTION = (
    "A subscription document on `event` choosing each payload's fields, e.g. "
    "`subscription { event { ... on OrderStatusEvent { order { number } } } }`"
)


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
        default=None, description=f"{QUERY_DESCRIPTION}; null sends the event's own message."
    )


@strawberry.input(description="What to change of a webhook; what is left out stays as it is.")
class UpdateWebhookInput:
    webhook_id: strawberry.ID = strawberry.field(description="The webhook.")
    url: str | None = strawberry.field(
        default=None, description="A new URL, checked as createWebhook's; null: unchanged."
    )
    events: list[WebhookEventType] | None = strawberry.field(
        default=None, description="The event types to send from now on; null: unchanged."
    )
    secret: str | None = strawberry.field(
        default=None,
        description="A new secret (16-255 characters), replacing the old one at once, "
        "retries of pending deliveries included; null: unchanged.",
    )
    query: str | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"{QUERY_DESCRIPTION}; left out: unchanged; null or blank: the event's "
        "own message is sent.",
    )


@strawberry.type(description="Result of deleteWebhook.")
class DeleteWebhookPayload:
    deleted_webhook_id: strawberry.ID | None = strawberry.field(
        default=None, description="The deleted webhook's id, when it succeeded."
    )
    user_errors: list[UserError] = user_errors_field()


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
    return WebhookPayload(webhook=found.get(id_of(webhook)))  # None if deleted meanwhile


async def _show_deleted(context: Context, webhook: Webhook) -> DeleteWebhookPayload:
    deleted = strawberry.ID(to_base64("Webhook", id_of(webhook)))
    return DeleteWebhookPayload(deleted_webhook_id=deleted)


class AddressChecks(TypedDict):
    resolve: Resolve
    allow_private: bool


def _address_checks(info: strawberry.Info) -> AddressChecks:
    """How the use cases that take a URL check where it leads: as this server allows."""
    return AddressChecks(
        resolve=resolve, allow_private=info.context.settings.webhooks.allow_private
    )


def _checked_query(info: strawberry.Info, query: str | None) -> None:
    """A GraphQL error on `query` unless it is empty or a valid subscription document."""
    if query is not None and query.strip():
        check_query(info.schema, query)


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
        def command() -> CreateWebhook:
            _checked_query(info, input.query)
            return CreateWebhook(input.url, tuple(input.events), input.secret, input.query)

        create = partial(webhooks.create_webhook, **_address_checks(info))
        return await run_mutation(info, WebhookPayload, create, command, _show)

    @strawberry.mutation(
        description="Change a webhook's URL, event types, secret or query, checked as at "
        "creation (ADMIN). Pending deliveries go to the new URL with the new secret; those "
        "not tried yet get the new query's body."
    )
    async def update_webhook(
        self, info: strawberry.Info, input: UpdateWebhookInput
    ) -> WebhookPayload:
        def command() -> UpdateWebhook:
            query = None if input.query is strawberry.UNSET else input.query or ""
            _checked_query(info, query)
            return UpdateWebhook(
                key_of(input.webhook_id, "Webhook", "webhookId"),
                url=input.url,
                events=None if input.events is None else tuple(input.events),
                secret=input.secret,
                query=query,
            )

        update = partial(webhooks.update_webhook, **_address_checks(info))
        return await run_mutation(info, WebhookPayload, update, command, _show)

    @strawberry.mutation(
        description="Delete a webhook with all its deliveries, pending and past (ADMIN). A "
        "request already under way may still arrive."
    )
    async def delete_webhook(
        self, info: strawberry.Info, input: WebhookIdInput
    ) -> DeleteWebhookPayload:
        return await run_mutation(
            info,
            DeleteWebhookPayload,
            webhooks.delete_webhook,
            lambda: DeleteWebhook(key_of(input.webhook_id, "Webhook", "webhookId")),
            _show_deleted,
        )

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
