"""The test provider: its card tokens decide the outcome, its events parse and verify."""

import json
from datetime import UTC, datetime

import pytest

from api.payments.test_gateway import (
    SIGNATURE_HEADER,
    TestGateway,
    event_body,
    parse_event,
    signed_headers,
)
from api.payments.webhook_endpoint import WebhookRefused
from api.settings import PaymentSettings, SettingsError
from domain.model.payments import PaymentMethod
from domain.money import Money
from domain.payment_gateway import AuthorizationRequest, GatewayStatus, ProviderEventKind

SECRET = "test-payments-secret"
AMOUNT = Money.of("39.80", "USD")


def gateway() -> TestGateway:
    return TestGateway(PaymentSettings(test_secret=SECRET))  # no callback URL: sends nothing


def request(token: str | None, key: str = "key-1", capture: bool = False) -> AuthorizationRequest:
    return AuthorizationRequest(1, "W-1", AMOUNT, PaymentMethod.CARD, token, key, capture)


async def test_any_card_is_pending_until_the_provider_calls_back():
    outcome = await gateway().authorize(request("tok_visa"))

    assert outcome.status is GatewayStatus.PENDING
    assert outcome.reference.startswith("test_pay_")


async def test_the_same_idempotency_key_gets_the_same_payment():
    first = await gateway().authorize(request("tok_visa", "key-1"))
    again = await gateway().authorize(request("tok_visa", "key-1"))
    other = await gateway().authorize(request("tok_visa", "key-2"))

    assert first.reference == again.reference != other.reference


async def test_an_invalid_card_is_declined_at_once():
    outcome = await gateway().authorize(request("tok_invalid_card"))

    assert (outcome.status, outcome.message) == (GatewayStatus.DECLINED, "invalid card number")


async def test_a_payment_made_with_tok_refund_fails_declines_its_refunds_only():
    payment = await gateway().authorize(request("tok_refund_fails"))

    refund = await gateway().refund(payment.reference, AMOUNT, "r-1")
    capture = await gateway().capture(payment.reference, AMOUNT, "c-1")

    assert refund.status is GatewayStatus.DECLINED
    assert capture.status is GatewayStatus.SUCCEEDED


def test_a_signed_event_is_read_into_a_provider_event():
    body = event_body(
        "payment.failed", "test_pay_1", AMOUNT, "card declined", created=1_765_000_000
    )
    now = datetime.fromtimestamp(1_765_000_010, UTC)

    [event] = gateway().events(signed_headers(SECRET, body, 1_765_000_000), body, now)

    assert event.kind is ProviderEventKind.FAILED
    assert (event.payment_reference, event.amount, event.reason) == (
        "test_pay_1",
        AMOUNT,
        "card declined",
    )
    assert event.occurred_at == datetime.fromtimestamp(1_765_000_000, UTC)


def test_an_unsigned_event_is_refused_as_unauthorized():
    body = event_body("payment.authorized", "test_pay_1", AMOUNT)

    with pytest.raises(WebhookRefused) as refused:
        gateway().events({SIGNATURE_HEADER: "t=1,v1=00"}, body, datetime.now(UTC))

    assert refused.value.status == 401


def test_the_same_payment_and_type_make_the_same_event_id():
    first = json.loads(event_body("payment.authorized", "test_pay_1", AMOUNT))
    again = json.loads(event_body("payment.authorized", "test_pay_1", AMOUNT))
    captured = json.loads(event_body("payment.captured", "test_pay_1", AMOUNT))

    assert first["id"] == again["id"] != captured["id"]


def test_an_event_of_a_type_nobody_uses_is_no_event():
    body = json.dumps({"id": "evt_1", "type": "customer.created", "created": 1}).encode()

    assert parse_event(body) == []


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'{"id": "evt_1", "type": "payment.authorized", "created": 1}',
        json.dumps(
            {
                "id": "evt_1",
                "type": "payment.authorized",
                "created": 1,
                "data": {"object": {"id": "p", "amount": -5, "currency": "usd"}},
            }
        ).encode(),
        json.dumps(
            {
                "id": "evt_1",
                "type": "payment.authorized",
                "created": 1,
                "data": {"object": {"id": "p", "amount": 5, "currency": "xyz"}},
            }
        ).encode(),
    ],
)
def test_a_malformed_event_is_refused_as_a_bad_request(body):
    with pytest.raises(WebhookRefused) as refused:
        parse_event(body)

    assert refused.value.status == 400


def test_the_payment_settings_are_read_from_the_environment():
    settings = PaymentSettings.from_env(
        {
            "OMNIORDER_TEST_PAYMENTS_SECRET": "s3cret",
            "OMNIORDER_TEST_PAYMENTS_CALLBACK_URL": "http://127.0.0.1:8000/webhooks/payments/test",
            "OMNIORDER_TEST_PAYMENTS_DELAY_SECONDS": "0.5",
            "OMNIORDER_PAYMENT_WEBHOOK_TOLERANCE_SECONDS": "60",
        }
    )

    assert settings == PaymentSettings(
        "s3cret", "http://127.0.0.1:8000/webhooks/payments/test", 0.5, 60.0
    )
    assert PaymentSettings.from_env({}) == PaymentSettings(None, None, 0.2, 300.0)


def test_a_callback_that_is_no_http_url_is_refused_naming_the_variable():
    with pytest.raises(SettingsError, match="OMNIORDER_TEST_PAYMENTS_CALLBACK_URL"):
        PaymentSettings.from_env({"OMNIORDER_TEST_PAYMENTS_CALLBACK_URL": "127.0.0.1:8000/x"})
