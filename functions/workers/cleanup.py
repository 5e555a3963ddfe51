"""Scheduled: remove render outputs that nothing references (EventBridge, hourly)."""

from dataclasses import asdict
from typing import Any

from atelier import bootstrap
from atelier.db.session import get_engine
from atelier.observability import logger
from atelier.rendering.cleanup import cleanup
from atelier.settings import get_settings


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    settings = get_settings()
    engine = get_engine(settings.admin_database_url or settings.database_url)
    report = asdict(cleanup(engine, bootstrap.storage()))
    logger.info("cleanup done", extra=report)
    return report
