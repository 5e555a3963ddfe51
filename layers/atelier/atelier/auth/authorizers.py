"""The two Lambda REQUEST authorizers' logic: widget (publishable key + origin) and brand
(user JWT or secret key).

API Gateway caches an authorizer's answer per identity source (the key and the origin for
the widget, the Authorization header for brands), so the policy allows the whole API
rather than the one method that triggered it; what a principal may do inside is decided
by the handlers from the context we return. A missing or bad credential raises
"Unauthorized" (API Gateway answers 401); a valid key from a foreign origin is denied (403).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import text

from atelier.auth.keys import KeyKind, hash_key, kind_of
from atelier.auth.principal import Principal, PrincipalKind, Role
from atelier.auth.tokens import verify_token
from atelier.db.session import unit_of_work
from atelier.errors import Unauthorized
from atelier.http.origins import normalize_origin

WIDGET_KEY_HEADER = "x-atelier-key"


class Denied(Exception):
    """Valid credentials used where they are not allowed (API Gateway answers 403)."""


@dataclass(frozen=True)
class KeyRecord:
    id: str
    brand_id: str
    kind: KeyKind
    allowed_origins: tuple[str, ...]


def _header(headers: Mapping[str, Any] | None, name: str) -> str | None:
    for key, value in (headers or {}).items():
        if key.lower() == name:
            return str(value)
    return None


def _bearer(headers: Mapping[str, Any] | None) -> str | None:
    value = _header(headers, "authorization")
    if value and value[:7].lower() == "bearer ":
        return value[7:].strip()
    return None


def lookup_key(secret: str) -> KeyRecord | None:
    """Find a live key by its hash, before any tenant is known (a SECURITY DEFINER function
    lets the application role see exactly this and nothing else)."""
    with unit_of_work() as session:
        row = (
            session.execute(
                text("SELECT * FROM atelier_resolve_api_key(:h)"), {"h": hash_key(secret)}
            )
            .mappings()
            .first()
        )
    if row is None:
        return None
    now = datetime.now(UTC)
    if row["revoked_at"] is not None or (
        row["expires_at"] is not None and row["expires_at"] <= now
    ):
        return None
    return KeyRecord(
        id=row["api_key_id"],
        brand_id=row["brand_id"],
        kind=KeyKind(row["kind"]),
        allowed_origins=tuple(row["allowed_origins"] or ()),
    )


def _origin_of(url: str | None) -> str | None:
    """Browsers omit `Origin` on same-origin GETs but send the page as `Referer`."""
    if not url:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def widget_principal(headers: Mapping[str, Any] | None) -> Principal:
    secret = _header(headers, WIDGET_KEY_HEADER) or _bearer(headers)
    if not secret or kind_of(secret) is not KeyKind.PUBLISHABLE:
        raise Unauthorized("A publishable key (pk_…) is required.")
    record = lookup_key(secret)
    if record is None or record.kind is not KeyKind.PUBLISHABLE:
        raise Unauthorized("Unknown, revoked or expired key.")
    origin = _header(headers, "origin") or _origin_of(_header(headers, "referer"))
    allowed = {normalize_origin(o) for o in record.allowed_origins}
    if not origin or normalize_origin(origin) not in allowed:
        raise Denied("This key may not be used from this origin.")
    return Principal(
        kind=PrincipalKind.WIDGET,
        brand_id=record.brand_id,
        subject=record.id,
        origin=normalize_origin(origin),
    )


def brand_principal(headers: Mapping[str, Any] | None) -> Principal:
    token = _bearer(headers) or _header(headers, WIDGET_KEY_HEADER)
    if not token:
        raise Unauthorized("A bearer token or secret key is required.")
    if token.startswith("sk_"):
        record = lookup_key(token)
        if record is None or record.kind is not KeyKind.SECRET:
            raise Unauthorized("Unknown, revoked or expired key.")
        # A secret key acts for the brand's back-end: it may edit, not administer.
        return Principal(
            kind=PrincipalKind.SECRET_KEY,
            brand_id=record.brand_id,
            subject=record.id,
            roles=frozenset({Role.EDITOR}),
        )
    if token.startswith("pk_"):
        raise Unauthorized("Publishable keys only open the widget endpoints.")
    return verify_token(token)


def policy(principal: Principal, method_arn: str) -> dict[str, Any]:
    """Allow the whole API for this principal (the answer is cached across methods)."""
    arn = method_arn.split("/")
    resource = "/".join(arn[:2]) + "/*/*" if len(arn) >= 2 else method_arn
    return {
        "principalId": principal.subject,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": resource}
            ],
        },
        "context": principal.to_context(),
    }


def deny(method_arn: str) -> dict[str, Any]:
    return {
        "principalId": "denied",
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {"Action": "execute-api:Invoke", "Effect": "Deny", "Resource": method_arn}
            ],
        },
    }


def run_authorizer(event: Mapping[str, Any], principal_of: Any) -> dict[str, Any]:
    """Shared body of both authorizer functions."""
    method_arn = str(event.get("methodArn", "*"))
    try:
        principal = principal_of(event.get("headers"))
    except Denied:
        return deny(method_arn)
    except Unauthorized as exc:
        # The exact message "Unauthorized" is what makes API Gateway answer 401.
        raise Exception("Unauthorized") from exc
    return policy(principal, method_arn)
