"""Scheduled: remove render outputs that nothing references (EventBridge, hourly)."""

from dataclasses import asdict
from typing import Any

from atelier import bootstrap
from atelier.db.session import get_admin_engine
from atelier.observability import logger
from atelier.rendering.cleanup import cleanup


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    # The owner: references are counted across every brand, outside row-level security.
    report = asdict(cleanup(get_admin_engine(), bootstrap.storage()))
    logger.info("cleanup done", extra=report)
    return report
