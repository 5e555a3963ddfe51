"""REQUEST authorizer for brand routes: a brand user's JWT or a secret key."""

from typing import Any

from atelier.auth.authorizers import brand_principal, run_authorizer


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return run_authorizer(event, brand_principal)
