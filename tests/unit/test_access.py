import pytest

from domain.access import MAX_SCOPE_LENGTH, Principal, Role
from domain.errors import Forbidden

ADMIN = Principal(Role.ADMIN, "root")
STAFF_ANYWHERE = Principal(Role.STAFF, "sam")
STAFF_AT_STORE = Principal(Role.STAFF, "kim", frozenset({"STORE-1", "STORE-2"}))
POS_AT_STORE = Principal(Role.POS, "till-1", frozenset({"STORE-1"}))
POS_UNBOUND = Principal(Role.POS, "till-?")
CUSTOMER = Principal(Role.CUSTOMER, "ada", customer_email="ada@example.com")
ANONYMOUS = Principal.anonymous()

EVERYONE = [ADMIN, STAFF_ANYWHERE, STAFF_AT_STORE, POS_AT_STORE, POS_UNBOUND, CUSTOMER, ANONYMOUS]
OPERATORS = [ADMIN, STAFF_ANYWHERE, STAFF_AT_STORE, POS_AT_STORE, POS_UNBOUND]


def who(value):
    """Test ids: a principal by its subject, anything else the pytest way."""
    return value.subject if isinstance(value, Principal) else None


def allowed(check):
    try:
        check()
    except Forbidden:
        return False
    return True


def test_anonymous_caller_is_not_authenticated_and_everyone_else_is():
    assert [p.is_authenticated for p in EVERYONE] == [True] * 6 + [False]


def test_system_principal_is_an_admin_with_its_own_subject():
    assert Principal.system("importer") == Principal(Role.ADMIN, "importer")


@pytest.mark.parametrize(
    ("principal", "expected"),
    [
        (ADMIN, True),
        (STAFF_ANYWHERE, True),
        (STAFF_AT_STORE, False),
        (POS_UNBOUND, False),
        (CUSTOMER, False),
        (ANONYMOUS, False),
    ],
    ids=who,
)
def test_only_admin_and_unbound_staff_see_all_locations(principal, expected):
    assert principal.sees_all_locations is expected


@pytest.mark.parametrize(
    ("principal", "location", "expected"),
    [
        (ADMIN, "WH-EAST", True),
        (STAFF_ANYWHERE, "WH-EAST", True),
        (STAFF_AT_STORE, "STORE-2", True),
        (STAFF_AT_STORE, "WH-EAST", False),
        (POS_AT_STORE, "STORE-1", True),
        (POS_AT_STORE, "STORE-2", False),
        (POS_UNBOUND, "STORE-1", False),
        (CUSTOMER, "STORE-1", False),
        (ANONYMOUS, "STORE-1", False),
    ],
)
def test_works_at_allows_admin_everywhere_and_bound_callers_only_at_their_locations(
    principal, location, expected
):
    assert principal.works_at(location) is expected


@pytest.mark.parametrize("principal", EVERYONE, ids=who)
def test_only_operators_read_stock_and_customers(principal):
    expected = principal in OPERATORS

    assert principal.may_read_stock() is expected
    assert principal.may_read_customers() is expected


@pytest.mark.parametrize(
    ("principal", "locations", "email", "expected"),
    [
        (ADMIN, [], None, True),
        (STAFF_ANYWHERE, ["WH-EAST"], None, True),
        (STAFF_AT_STORE, ["WH-EAST", "STORE-2"], None, True),
        (STAFF_AT_STORE, ["WH-EAST"], "ada@example.com", False),
        (POS_AT_STORE, ["STORE-1"], None, True),
        (POS_AT_STORE, ["STORE-2"], None, False),
        (POS_UNBOUND, ["STORE-1"], None, False),
        (CUSTOMER, ["STORE-1"], "ada@example.com", True),
        (CUSTOMER, ["STORE-1"], "bob@example.com", False),
        (CUSTOMER, ["STORE-1"], None, False),
        (Principal(Role.CUSTOMER, "ghost"), ["STORE-1"], None, False),
        (ANONYMOUS, ["STORE-1"], "ada@example.com", False),
    ],
)
def test_may_see_order_by_location_for_operators_and_by_email_for_customers(
    principal, locations, email, expected
):
    assert principal.may_see_order(locations, email) is expected


def test_require_names_the_role_and_the_action_it_refuses():
    with pytest.raises(Forbidden) as error:
        CUSTOMER.require(False, "confirm orders")

    assert error.value.message == "CUSTOMER may not confirm orders"


def test_require_calls_an_anonymous_caller_by_that_name():
    with pytest.raises(Forbidden) as error:
        ANONYMOUS.require(False, "place orders")

    assert error.value.message == "an anonymous caller may not place orders"


def test_require_lets_an_allowed_action_pass():
    assert allowed(lambda: CUSTOMER.require(True, "place orders"))


def test_only_admin_passes_require_admin():
    verdicts = [allowed(lambda p=p: p.require_admin("create locations")) for p in EVERYONE]

    assert verdicts == [True, False, False, False, False, False, False]


def test_admin_and_any_staff_bound_or_not_manage_the_catalog():
    verdicts = [allowed(lambda p=p: p.require_catalog_manager("price")) for p in EVERYONE]

    assert verdicts == [True, True, True, False, False, False, False]


def test_require_works_at_names_the_location_it_refuses():
    with pytest.raises(Forbidden) as error:
        STAFF_AT_STORE.require_works_at("WH-EAST", "adjust stock")

    assert error.value.message == "STAFF may not adjust stock at WH-EAST"


# -- the caller's own space for idempotency keys ------------------------------------------------


def test_each_caller_keeps_its_idempotency_keys_in_a_space_of_its_own():
    scopes = [p.idempotency_scope for p in EVERYONE]

    assert scopes == [
        "admin:root",
        "staff:sam",
        "staff:kim",
        "pos:till-1",
        "pos:till-?",
        "customer:ada@example.com",
        "anonymous:anonymous",
    ]


def test_a_customer_on_two_devices_shares_one_space_whatever_its_tokens_subjects():
    phone = Principal(Role.CUSTOMER, "ada-phone", customer_email="ada@example.com")
    laptop = Principal(Role.CUSTOMER, "ada-laptop", customer_email="Ada@Example.com ")

    assert phone.idempotency_scope == laptop.idempotency_scope == CUSTOMER.idempotency_scope


def test_a_registered_terminal_keys_by_itself_not_by_its_token_or_store():
    till = Principal(Role.POS, "pos-terminal-7", frozenset({"STORE-1"}), terminal_id=7)
    other_till = Principal(Role.POS, "pos-terminal-8", frozenset({"STORE-1"}), terminal_id=8)

    assert till.idempotency_scope == "terminal:7"
    assert other_till.idempotency_scope != till.idempotency_scope


def test_callers_of_different_roles_with_one_subject_never_share_a_space():
    named_ada = [
        Principal(Role.ADMIN, "ada@example.com"),
        Principal(Role.STAFF, "ada@example.com"),
        Principal(Role.POS, "ada@example.com"),
        Principal(Role.CUSTOMER, "ada@example.com"),  # bound to no customer
        Principal(Role.CUSTOMER, "someone", customer_email="ada@example.com"),
    ]

    assert len({p.idempotency_scope for p in named_ada}) == len(named_ada)


def test_a_scope_too_long_to_store_is_shortened_to_a_digest_still_its_own():
    long_subject = Principal(Role.STAFF, "k" * 400)
    longer_subject = Principal(Role.STAFF, "k" * 401)

    assert len(long_subject.idempotency_scope) <= MAX_SCOPE_LENGTH
    assert long_subject.idempotency_scope.startswith("staff:sha256:")
    assert long_subject.idempotency_scope == Principal(Role.STAFF, "k" * 400).idempotency_scope
    assert long_subject.idempotency_scope != longer_subject.idempotency_scope
