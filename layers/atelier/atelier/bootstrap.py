"""The one place adapters are chosen: AWS services when configured, local ones otherwise.

Built on first use and kept for the life of the execution environment.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from atelier.adapters.queue import JobQueue, PostgresQueue, SqsQueue
from atelier.adapters.storage import LocalStorage, ObjectStorage, S3Storage
from atelier.notifications.email import Mailer, OutboxMailer, SesMailer
from atelier.settings import get_settings


@lru_cache(maxsize=1)
def storage() -> ObjectStorage:
    settings = get_settings()
    if settings.storage_bucket:
        return S3Storage(settings.storage_bucket, public_base_url=settings.public_assets_url)
    if not settings.storage_signing_key:
        raise RuntimeError("Local storage needs ATELIER_STORAGE_SIGNING_KEY.")
    return LocalStorage(
        Path(settings.storage_dir or "var/storage"),
        settings.storage_signing_key,
        settings.public_base_url,
    )


@lru_cache(maxsize=1)
def queue() -> JobQueue:
    """SQS when the stack gave queue URLs, else the local PostgreSQL queue."""
    settings = get_settings()
    if settings.queue_urls:
        return SqsQueue(json.loads(settings.queue_urls))
    from atelier import routes
    from atelier.db.session import get_engine

    return PostgresQueue(get_engine(), {w.queue: w.max_receive_count for w in routes.WORKERS})


@lru_cache(maxsize=1)
def mailer() -> Mailer:
    settings = get_settings()
    if settings.email_via_ses:
        return SesMailer()
    return OutboxMailer(Path(settings.outbox_dir or "var/outbox"))


def reset() -> None:
    """Forget the chosen adapters (tests and the local runtime change settings)."""
    from atelier.db import session

    get_settings.cache_clear()
    storage.cache_clear()
    queue.cache_clear()
    mailer.cache_clear()
    session.reset()
