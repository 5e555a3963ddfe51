"""Brand-user tokens: Cognito JWTs in AWS, the local issuer's JWTs on one machine.

Both carry the same claims, so everything after verification is the same code:
`sub` (the user), `custom:brand_id` (the tenant) and `cognito:groups` (roles). In AWS the
signature is checked against the user pool's JWKS (RS256); locally against the HS256 key
generated at first run (`var/secrets.json`).
"""

from __future__ import annotations

import time
from functools import lru_cache
from typing import Any

import jwt

from atelier.auth.principal import Principal, PrincipalKind, Role
from atelier.errors import Unauthorized
from atelier.settings import get_settings

LOCAL_ISSUER = "atelier-local"
BRAND_CLAIM = "custom:brand_id"
GROUPS_CLAIM = "cognito:groups"


@lru_cache(maxsize=2)
def _jwks_client(url: str) -> jwt.PyJWKClient:
    return jwt.PyJWKClient(url, cache_keys=True, lifespan=3600)


def issue_local_token(
    *, brand_id: str, subject: str, roles: list[Role], ttl_s: int = 3600, key: str | None = None
) -> str:
    """Mint a token the way Cognito would, signed by the local issuer (development only)."""
    signing_key = key or get_settings().jwt_signing_key
    if not signing_key:
        raise RuntimeError("No local JWT signing key (ATELIER_JWT_SIGNING_KEY).")
    now = int(time.time())
    claims = {
        "iss": LOCAL_ISSUER,
        "sub": subject,
        "aud": "atelier",
        "token_use": "id",
        "iat": now,
        "exp": now + ttl_s,
        BRAND_CLAIM: brand_id,
        GROUPS_CLAIM: [r.value for r in roles],
    }
    return jwt.encode(claims, signing_key, algorithm="HS256")


def verify_token(token: str) -> Principal:
    settings = get_settings()
    try:
        if settings.jwt_issuer:
            signing_key = _jwks_client(f"{settings.jwt_issuer}/.well-known/jwks.json")
            key = signing_key.get_signing_key_from_jwt(token).key
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                issuer=settings.jwt_issuer,
                audience=settings.jwt_audience,
                options={"require": ["exp", "sub", "iss"]},
            )
        elif settings.jwt_signing_key:
            claims = jwt.decode(
                token,
                settings.jwt_signing_key,
                algorithms=["HS256"],
                issuer=LOCAL_ISSUER,
                audience="atelier",
                options={"require": ["exp", "sub", "iss"]},
            )
        else:
            raise Unauthorized("No token issuer is configured.")
    except jwt.PyJWTError as exc:
        raise Unauthorized(f"Invalid token: {exc}") from exc
    brand_id = claims.get(BRAND_CLAIM)
    if not isinstance(brand_id, str) or not brand_id:
        raise Unauthorized("The token names no brand.")
    known = {r.value for r in Role}
    roles = frozenset(Role(g) for g in claims.get(GROUPS_CLAIM) or [] if g in known)
    return Principal(
        kind=PrincipalKind.USER, brand_id=brand_id, subject=str(claims["sub"]), roles=roles
    )
