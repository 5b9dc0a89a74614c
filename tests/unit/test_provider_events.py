"""Provider events move a payment only forward, whatever order they arrive in."""

from datetime import UTC, datetime

from domain.model.payments import EntryKind, Payment, PaymentMethod, PaymentState
from domain.money import Money
from domain.payment_gateway import ProviderEvent, ProviderEventKind
from domain.usecases.provider_events import apply_to_payment

AT = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
ACTOR = "provider:test"


def pending(amount: str = "39.80") -> Payment:
    return Payment(
        order_id=1,
        method=PaymentMethod.CARD,
        provider="test",
        currency="USD",
        created_at=AT,
        actor="ada",
        provider_reference="test_pay_1",
        requested=Money.of(amount, "USD"),
    )


def event(kind: ProviderEventKind, amount: str | None = "39.80", **extra) -> ProviderEvent:
    return ProviderEvent(
        provider="test",
        event_id=f"evt_{kind.value.lower()}",
        kind=kind,
        payment_reference="test_pay_1",
        amount=None if amount is None else Money.of(amount, "USD"),
        occurred_at=AT,
        **extra,
    )


def kinds(payment: Payment) -> list[tuple[EntryKind, str]]:
    return [(e.kind, str(e.amount.amount)) for e in payment.entries]


def test_an_authorized_event_authorizes_a_pending_payment():
    payment = pending()

    assert apply_to_payment(payment, event(ProviderEventKind.AUTHORIZED), ACTOR, AT) is None

    assert payment.state is PaymentState.AUTHORIZED
    assert kinds(payment) == [(EntryKind.AUTHORIZATION, "39.80")]


def test_an_event_without_an_amount_means_the_amount_asked():
    payment = pending()

    apply_to_payment(payment, event(ProviderEventKind.AUTHORIZED, None), ACTOR, AT)

    assert payment.authorized == Money.of("39.80", "USD")


def test_a_capture_before_its_authorization_records_both_and_the_late_one_is_ignored():
    payment = pending()

    apply_to_payment(payment, event(ProviderEventKind.CAPTURED), ACTOR, AT)
    late = apply_to_payment(payment, event(ProviderEventKind.AUTHORIZED), ACTOR, AT)

    assert payment.state is PaymentState.CAPTURED
    assert kinds(payment) == [(EntryKind.AUTHORIZATION, "39.80"), (EntryKind.CAPTURE, "39.80")]
    assert late is not None and "nothing to change" in late


def test_a_captured_event_about_a_capture_already_recorded_adds_nothing():
    payment = pending()
    payment.authorize(Money.of("39.80", "USD"), "ada", AT, "test_pay_1")
    payment.capture(Money.of("10.00", "USD"), "staff", AT)

    again = apply_to_payment(payment, event(ProviderEventKind.CAPTURED, "10.00"), ACTOR, AT)
    more = apply_to_payment(payment, event(ProviderEventKind.CAPTURED, "15.00"), ACTOR, AT)

    assert again is not None and "captured already" in again
    assert more is None
    assert payment.captured == Money.of("15.00", "USD")


def test_a_decline_fails_a_pending_payment_with_its_reason():
    payment = pending()

    apply_to_payment(payment, event(ProviderEventKind.FAILED, reason="card declined"), ACTOR, AT)

    assert payment.state is PaymentState.FAILED
    assert payment.entries[-1].reason == "card declined"


def test_a_decline_after_an_authorization_changes_nothing():
    payment = pending()
    apply_to_payment(payment, event(ProviderEventKind.AUTHORIZED), ACTOR, AT)

    note = apply_to_payment(payment, event(ProviderEventKind.FAILED), ACTOR, AT)

    assert note is not None
    assert payment.state is PaymentState.AUTHORIZED


def test_a_void_at_the_provider_releases_what_is_held():
    payment = pending()
    apply_to_payment(payment, event(ProviderEventKind.AUTHORIZED), ACTOR, AT)

    apply_to_payment(payment, event(ProviderEventKind.VOIDED), ACTOR, AT)

    assert payment.state is PaymentState.VOIDED
    assert payment.released == Money.of("39.80", "USD")


def test_an_event_in_another_currency_is_ignored():
    payment = pending()
    euros = ProviderEvent(
        "test", "evt_x", ProviderEventKind.AUTHORIZED, "test_pay_1", Money.of("39.80", "EUR"), AT
    )

    note = apply_to_payment(payment, euros, ACTOR, AT)

    assert note is not None and "EUR" in note
    assert payment.state is PaymentState.PENDING


def test_an_authorization_of_nothing_is_ignored():
    payment = pending()

    note = apply_to_payment(payment, event(ProviderEventKind.AUTHORIZED, "0"), ACTOR, AT)

    assert note is not None
    assert payment.entries == []
