"""Scheduled (EventBridge, hourly): remove stored objects nothing references, and ask again
for product-image conversions that should be done and are not."""

from dataclasses import asdict
from typing import Any

from atelier import bootstrap
from atelier.catalog.image_variants import request_missing_conversions
from atelier.db.session import get_admin_engine
from atelier.observability import logger
from atelier.rendering.cleanup import cleanup


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    # The owner: references are counted across every brand, outside row-level security.
    engine = get_admin_engine()
    report: dict[str, Any] = asdict(cleanup(engine, bootstrap.storage()))
    report["conversions_requested"] = request_missing_conversions(engine, bootstrap.queue())
    logger.info("cleanup done", extra=report)
    return report
