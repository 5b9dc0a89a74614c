"""How account holders get their one-time tokens (verify an email, reset a password).

The default notifier writes the message to the log (`omniorder.accounts`, at INFO), which
is enough to try the service and for tests to read. A business plugs in its own — a mail
or SMS sender — by naming a factory in OMNIORDER_ACCOUNT_NOTIFIER as `module:callable`;
it is called once with no arguments and must return an object with
`async def send(message: AccountMessage) -> None` (docs/accounts.md shows one). Messages
are sent after the transaction that made the token commits; a notifier that fails is
logged, and the caller can ask again.
"""

from __future__ import annotations

import importlib
import logging
from typing import Protocol, cast

from api.settings import SettingsError
from domain.model.accounts import AccountMessage

log = logging.getLogger("omniorder.accounts")


class AccountNotifier(Protocol):
    async def send(self, message: AccountMessage) -> None: ...


class LogNotifier:
    """Writes each message to the log, token included: for development and tests only,
    since whoever reads the log can then take over the account."""

    async def send(self, message: AccountMessage) -> None:
        log.info(
            "account message %s%s for %s: token %s (valid until %s)",
            message.purpose.value,
            " (registered again)" if message.registered_again else "",
            message.email,
            message.token,
            message.expires_at.isoformat(),
            extra={"purpose": message.purpose.value, "email": message.email},
        )


def load_notifier(spec: str | None) -> AccountNotifier:
    """The notifier `spec` ("package.module:factory") names; the log notifier for None."""
    if not spec:
        return LogNotifier()
    module_name, _, attribute = spec.partition(":")
    try:
        factory = getattr(importlib.import_module(module_name), attribute)
        notifier = factory()
    except Exception as error:  # the factory is the deployment's code: whatever it raises
        raise SettingsError(
            f"OMNIORDER_ACCOUNT_NOTIFIER must name a factory as module:callable, got {spec!r}"
            f" ({type(error).__name__}: {error})"
        ) from None
    if not callable(getattr(notifier, "send", None)):
        raise SettingsError(f"OMNIORDER_ACCOUNT_NOTIFIER {spec!r} made no object with send()")
    return cast(AccountNotifier, notifier)
