"""Deploy-time migrations (the stack's custom resource) and operators' actions (direct
invoke): `atelier.system.operations`."""

from typing import Any

from atelier.observability import logger
from atelier.system.operations import handle_invocation


@logger.inject_lambda_context(log_event=False)  # events carry a presigned URL or a key name
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return handle_invocation(event, context)
