"""Secrets Manager: JSON secrets, read by their callers once per execution environment.

Errors name the secret and what went wrong, never its content.
"""

from __future__ import annotations

import json
from typing import Any

from atelier.errors import ServiceUnavailable


def read_json_secret(arn: str, client: Any | None = None) -> dict[str, Any]:
    """The JSON object stored in the secret `arn` (its current version)."""
    if client is None:
        import boto3  # deferred: ~150 ms, only for functions configured with secrets

        client = boto3.client("secretsmanager")
    try:
        response = client.get_secret_value(SecretId=arn)
    except Exception as exc:  # ClientError, NoCredentialsError, EndpointConnectionError…
        code = getattr(exc, "response", {}).get("Error", {}).get("Code") or type(exc).__name__
        raise ServiceUnavailable(f"The secret {arn} could not be read ({code}).") from exc
    raw = response.get("SecretString")
    if raw is None:
        raise ServiceUnavailable(f"The secret {arn} holds no text (a JSON object is expected).")
    try:
        value = json.loads(raw)
    except ValueError:
        # `from None`: the decode error carries the document, i.e. the secret itself.
        raise ServiceUnavailable(f"The secret {arn} is not valid JSON.") from None
    if not isinstance(value, dict):
        raise ServiceUnavailable(f"The secret {arn} is not a JSON object.")
    return value
