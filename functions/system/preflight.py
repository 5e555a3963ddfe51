"""OPTIONS on every widget path: the CORS preflight."""

from typing import Any

from atelier.http.cors import preflight


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return preflight(event)
