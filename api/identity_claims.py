"""Who a verified token of the identity provider names: its claims mapped to a `Principal`
(docs/access.md, "Tokens from your identity provider", has the table)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from api.auth import InvalidToken
from domain.access import Principal, Role
from domain.errors import InvalidInput
from domain.model.customers import normalise_email
from domain.model.locations import normalise_location_code

if TYPE_CHECKING:
    from api.external_tokens import ExternalTokenSettings

ROLE_NAMES = ", ".join(Role)


def principal_from_claims(claims: Mapping[str, Any], settings: ExternalTokenSettings) -> Principal:
    """The caller a verified token names (docs/access.md has the table): `sub` is the
    subject; the role comes from `role_claim`, else from the one role name in the
    `roles_claim` list; a CUSTOMER is the customer of its verified `email`; STAFF may
    be bound to locations and POS must be bound to exactly one (`locations_claim`)."""
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject.strip():
        raise InvalidToken("the token's sub claim must be a non-empty string")
    role = _role(claims, settings)
    if role is Role.CUSTOMER:
        return Principal(role=role, subject=subject, customer_email=_verified_email(claims))
    if role is Role.ADMIN:
        return Principal(role=role, subject=subject)
    locations = _locations(claims, settings.locations_claim)
    if role is Role.POS and len(locations) != 1:
        raise InvalidToken(
            f"a POS token must name exactly one location in its {settings.locations_claim} "
            f"claim, this one names {len(locations)}"
        )
    return Principal(role=role, subject=subject, location_codes=locations)


def _role(claims: Mapping[str, Any], settings: ExternalTokenSettings) -> Role:
    named = claims.get(settings.role_claim)
    if named is not None:
        role = Role(named) if isinstance(named, str) and named.upper() in Role.__members__ else None
        if role is None:
            raise InvalidToken(f"the {settings.role_claim} claim must be one of {ROLE_NAMES}")
        return role
    listed = claims.get(settings.roles_claim)
    items = [listed] if isinstance(listed, str) else listed if isinstance(listed, list) else []
    roles = sorted(
        {Role(item) for item in items if isinstance(item, str) and item.upper() in Role.__members__}
    )
    if not roles:
        raise InvalidToken(
            f"the token names no role: give it a {settings.role_claim} claim, or one of "
            f"{ROLE_NAMES} in its {settings.roles_claim} claim"
        )
    if len(roles) > 1:
        raise InvalidToken(
            f"the token's {settings.roles_claim} claim names several roles "
            f"({', '.join(roles)}): name the one meant in a {settings.role_claim} claim"
        )
    return roles[0]


def _verified_email(claims: Mapping[str, Any]) -> str:
    email = claims.get("email")
    if not isinstance(email, str) or not email.strip():
        raise InvalidToken("a CUSTOMER token must carry the customer's email claim")
    # Some providers send the flag as text ("false").
    verified = claims.get("email_verified")
    if verified is False or (isinstance(verified, str) and verified.strip().lower() == "false"):
        raise InvalidToken("the token's email is not verified (email_verified is false)")
    try:
        return normalise_email(email)
    except InvalidInput:
        raise InvalidToken("the token's email claim is not an email address") from None


def _locations(claims: Mapping[str, Any], claim: str) -> frozenset[str]:
    """Location codes from a list of codes, or from one string of codes separated by
    commas or spaces (how many providers' custom attributes come); absent means none."""
    value = claims.get(claim)
    if value is None:
        return frozenset()
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise InvalidToken(f"the {claim} claim must be a list of location codes")
    try:
        return frozenset(normalise_location_code(code) for code in value)
    except InvalidInput:
        raise InvalidToken(
            f"the {claim} claim holds something that is not a location code"
        ) from None
