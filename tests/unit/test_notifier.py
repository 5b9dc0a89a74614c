"""The account notifier: the log by default, or a factory named in the environment."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from api.notifier import LogNotifier, load_notifier
from api.settings import SettingsError
from domain.model.accounts import AccountMessage, AccountTokenPurpose


class Collector:
    """A notifier a deployment might plug in: here it keeps what it is given."""

    sent: list[AccountMessage] = []

    async def send(self, message: AccountMessage) -> None:
        self.sent.append(message)


def unconfigured_mailer() -> Collector:
    """A factory that reads its configuration and finds it missing."""
    raise KeyError("SMTP_HOST")


MESSAGE = AccountMessage(
    AccountTokenPurpose.RESET_PASSWORD,
    "grace@example.com",
    "Grace",
    "the-token",
    datetime(2026, 12, 5, tzinfo=UTC),
)


async def test_the_default_notifier_writes_the_token_to_the_log(caplog):
    caplog.set_level(logging.INFO, logger="omniorder.accounts")

    await load_notifier(None).send(MESSAGE)

    assert isinstance(load_notifier(None), LogNotifier)
    assert (
        "account message RESET_PASSWORD for grace@example.com: token the-token "
        "(valid until 2026-12-05T00:00:00+00:00)"
    ) in caplog.text


async def test_a_notifier_named_as_module_and_factory_gets_the_messages():
    notifier = load_notifier("tests.unit.test_notifier:Collector")

    await notifier.send(MESSAGE)

    assert Collector.sent[-1] is MESSAGE


@pytest.mark.parametrize(
    "spec",
    [
        "no_such_module:Mailer",
        "tests.unit.test_notifier:Nothing",
        "tests.unit.test_notifier:MESSAGE",
        "tests.unit.test_notifier:unconfigured_mailer",
    ],
)
def test_a_notifier_that_cannot_be_made_is_refused_naming_the_variable(spec):
    with pytest.raises(SettingsError, match="OMNIORDER_ACCOUNT_NOTIFIER"):
        load_notifier(spec)
