"""Webhook rules: where requests may go, how they are signed, how deliveries are retried."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from api.settings import SettingsError, WebhookSettings
from api.webhooks.signing import signature, signature_header
from domain.errors import InvalidInput
from domain.model.webhooks import (
    MAX_RETRY_DELAY,
    RetryPolicy,
    Webhook,
    WebhookEventType,
    changed_webhook,
    check_addresses,
    host_of,
    is_public,
    new_webhook,
    webhook_url,
)
from tests.api.webhook_receiver import verify

AT = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
SECRET = "whsec-0123456789abcdef"
ORDERS = (WebhookEventType.ORDER_STATUS_CHANGED,)


@pytest.mark.parametrize(
    "url", ["https://example.com/hooks", "http://shop.example:8080/in?x=1", "HTTPS://EX.COM"]
)
def test_http_and_https_urls_with_a_host_are_accepted(url: str) -> None:
    assert webhook_url(f"  {url} ") == url


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://example.com/file", "http:// or https://"),
        ("file:///etc/passwd", "http:// or https://"),
        ("example.com/hooks", "no scheme"),
        ("https:///hooks", "names no host"),
        ("https://admin:secret@example.com/", "credentials"),
        ("https://example.com:99999/", "not a valid URL"),
        ("https://example.com/" + "x" * 2000, "at most 2000"),
    ],
)
def test_other_urls_are_refused_on_the_url_field(url: str, words: str) -> None:
    with pytest.raises(InvalidInput, match=words) as refused:
        webhook_url(url)
    assert refused.value.field == "url"


def test_a_change_keeps_what_it_does_not_name_and_a_blank_query_removes_the_query() -> None:
    webhook = new_webhook(
        "https://a.example/in",
        ORDERS,
        SECRET,
        "subscription { event { __typename } }",
        created_by="admin",
        at=AT,
    )
    changed = changed_webhook(webhook, url=" https://b.example/in ", query=" ")
    assert (changed.url, changed.query) == ("https://b.example/in", None)
    assert (changed.events, changed.secret, changed.created_by) == (ORDERS, SECRET, "admin")


def test_a_change_is_checked_as_a_new_webhook_is() -> None:
    webhook = new_webhook("https://a.example/in", ORDERS, SECRET, None, created_by="a", at=AT)
    with pytest.raises(InvalidInput, match="16-255") as refused:
        changed_webhook(webhook, url="https://b.example/in", secret="short")
    assert refused.value.field == "secret"


def test_the_host_of_an_ipv6_url_has_no_brackets() -> None:
    assert host_of("http://[2001:db8::1]:8080/x") == "2001:db8::1"


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # shared address space
        "0.0.0.0",
        "224.0.0.1",
        "::1",
        "fe80::1%eth0",
        "fc00::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
    ],
)
def test_private_loopback_and_reserved_addresses_are_not_public(address: str) -> None:
    assert not is_public(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_internet_addresses_are_public(address: str) -> None:
    assert is_public(address)


def test_a_host_with_one_private_address_among_public_ones_is_refused() -> None:
    with pytest.raises(InvalidInput, match=re.escape("resolves to 10.0.0.5")):
        check_addresses("mixed.example", ["93.184.216.34", "10.0.0.5"], allow_private=False)


def test_private_addresses_pass_where_they_are_allowed() -> None:
    check_addresses("localhost", ["127.0.0.1", "::1"], allow_private=True)


def test_a_host_that_does_not_resolve_is_refused_even_where_private_ones_are_allowed() -> None:
    with pytest.raises(InvalidInput, match="does not resolve"):
        check_addresses("nowhere.invalid", [], allow_private=True)


def test_a_new_webhook_needs_an_event_type_once_each_and_a_long_enough_secret() -> None:
    def make(events: tuple[WebhookEventType, ...] = ORDERS, secret: str = SECRET) -> Webhook:
        return new_webhook("https://example.com", events, secret, None, created_by="a", at=AT)

    assert make().events == ORDERS
    for events, secret, field in [
        ((), SECRET, "events"),
        (ORDERS * 2, SECRET, "events"),
        (ORDERS, "too-short", "secret"),
        (ORDERS, "x" * 256, "secret"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            make(events, secret)
        assert refused.value.field == field


def test_a_blank_query_means_no_query() -> None:
    webhook = new_webhook("https://example.com", ORDERS, SECRET, "  ", created_by="a", at=AT)
    assert webhook.query is None


def test_retries_wait_twice_as_long_each_time_up_to_a_ceiling() -> None:
    policy = RetryPolicy(base_seconds=30, max_attempts=8)
    assert [policy.delay_after(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert policy.delay_after(50) == MAX_RETRY_DELAY


def test_a_delivery_fails_after_its_last_attempt() -> None:
    policy = RetryPolicy(max_attempts=3)
    assert [policy.gives_up_after(n) for n in (1, 2, 3)] == [False, False, True]


def test_a_webhook_is_disabled_after_enough_failed_deliveries_in_a_row() -> None:
    policy = RetryPolicy(disable_after=5)
    assert not policy.disables_after(4)
    assert policy.disables_after(5)


def test_the_signature_header_carries_the_time_and_the_hmac_of_time_dot_body() -> None:
    body = b'{"kind":"OrderStatusChanged"}'
    header = signature_header(SECRET, 1_764_849_600, body)
    assert header == f"t=1764849600,v1={signature(SECRET, 1_764_849_600, body)}"
    # a receiver verifies it with nothing but the standard library
    now = 1_764_849_600 + 10
    assert verify(SECRET, header, body, now=now)
    assert not verify(SECRET, header, body + b" ", now=now)
    assert not verify("another-secret-012345", header, body, now=now)


def test_a_receiver_refuses_a_signature_older_than_its_tolerance() -> None:
    body = b"{}"
    header = signature_header(SECRET, 1_764_849_600, body)
    late = 1_764_849_600 + timedelta(minutes=6).total_seconds()
    assert not verify(SECRET, header, body, now=late)


def test_webhook_settings_are_read_from_the_environment() -> None:
    settings = WebhookSettings.from_env(
        {
            "OMNIORDER_WEBHOOKS_ALLOW_PRIVATE": "yes",
            "OMNIORDER_WEBHOOK_RETRY_BASE_SECONDS": "0.5",
            "OMNIORDER_WEBHOOK_MAX_ATTEMPTS": "3",
            "OMNIORDER_WEBHOOK_DISABLE_AFTER": "2",
            "OMNIORDER_WEBHOOK_TIMEOUT_SECONDS": "4",
            "OMNIORDER_WEBHOOK_POLL_SECONDS": "0.1",
            "OMNIORDER_WEBHOOK_DELIVERY_RETENTION_DAYS": "90",
        }
    )
    assert settings == WebhookSettings(
        allow_private=True,
        retry=RetryPolicy(base_seconds=0.5, max_attempts=3, disable_after=2),
        timeout_seconds=4.0,
        poll_seconds=0.1,
        delivery_retention=timedelta(days=90),
    )
    assert WebhookSettings.from_env({}) == WebhookSettings()


@pytest.mark.parametrize("raw", ["0", "101", "three", "-1"])
def test_a_count_of_attempts_out_of_range_is_refused_naming_the_variable(raw: str) -> None:
    with pytest.raises(SettingsError, match="OMNIORDER_WEBHOOK_MAX_ATTEMPTS"):
        WebhookSettings.from_env({"OMNIORDER_WEBHOOK_MAX_ATTEMPTS": raw})


@pytest.mark.parametrize("raw", ["0", "3651", "30d", "-1"])
def test_a_delivery_retention_out_of_range_is_refused_naming_the_variable(raw: str) -> None:
    with pytest.raises(SettingsError, match="OMNIORDER_WEBHOOK_DELIVERY_RETENTION_DAYS"):
        WebhookSettings.from_env({"OMNIORDER_WEBHOOK_DELIVERY_RETENTION_DAYS": raw})
