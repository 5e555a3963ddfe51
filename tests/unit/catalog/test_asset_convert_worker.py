"""The asset-convert Lambda reports partial batch failures: a malformed job is dropped (it
can never succeed), a job that meets an unavailable database comes back later."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from atelier import bootstrap, routes
from atelier.catalog.image_variants import QUEUE
from atelier.local.gateway import lambda_context
from atelier.local.queue_runner import sqs_event


class Row:
    """A local queue row, as `sqs_event` reads it."""

    def __init__(self, message_id: str, body: object) -> None:
        self.id, self.body, self.receive_count = message_id, json.dumps(body), 1
        self.created_at = datetime.now(UTC)


@pytest.fixture
def no_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for name in ("DATABASE_URL", "ATELIER_DATABASE_URL", "ATELIER_DATABASE_HOST"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("ATELIER_STORAGE_BUCKET", raising=False)
    monkeypatch.setenv("ATELIER_STORAGE_DIR", str(tmp_path))
    monkeypatch.setenv("ATELIER_STORAGE_SIGNING_KEY", "k")
    bootstrap.reset()
    yield
    bootstrap.reset()


def test_malformed_jobs_are_dropped_and_transient_failures_retried(no_database: None):
    from functions.workers import asset_convert

    worker = next(w for w in routes.WORKERS if w.queue == QUEUE)
    event = sqs_event(
        QUEUE,
        [
            Row("malformed", {"productId": "p1"}),
            Row("not-an-object", ["brandId"]),
            Row("no-database", {"brandId": "b1", "productId": "p1", "key": "products/b1/x.png"}),
        ],
    )
    result = asset_convert.handler(event, lambda_context(worker.function_name))
    assert result == {"batchItemFailures": [{"itemIdentifier": "no-database"}]}
