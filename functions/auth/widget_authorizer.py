"""REQUEST authorizer for widget routes: publishable key + allowed origin."""

from typing import Any

from atelier.auth.authorizers import run_authorizer, widget_principal


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return run_authorizer(event, widget_principal)
