"""Feeds the local queue to the worker handlers with SQS semantics.

Each poll claims up to `batch_size` due messages of one queue (FOR UPDATE SKIP LOCKED, so
several runners never take the same message), makes them invisible for the worker's
visibility timeout, bumps their receive count, and invokes the worker with an SQS event.
Messages the worker reports in `batchItemFailures` (or all of them, if it raises) stay and
reappear after the timeout, later each time (exponential backoff); after `max_receives`
they are dead-lettered. Successful ones are deleted.
"""

from __future__ import annotations

import importlib
import json
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, text

from atelier.local.gateway import lambda_context
from atelier.observability import logger
from atelier.routes import Worker

WorkerHandler = Callable[[dict[str, Any], Any], dict[str, Any] | None]


def sqs_event(queue: str, rows: list[Any]) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": row.id,
                "receiptHandle": f"{row.id}:{row.receive_count}",
                "body": row.body if isinstance(row.body, str) else json.dumps(row.body),
                "attributes": {
                    "ApproximateReceiveCount": str(row.receive_count),
                    "SentTimestamp": str(int(row.created_at.timestamp() * 1000)),
                },
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": f"arn:aws:sqs:local:000000000000:{queue}",
                "awsRegion": "local",
            }
            for row in rows
        ]
    }


class QueueRunner:
    def __init__(self, engine: Engine, workers: tuple[Worker, ...]) -> None:
        self.engine = engine
        self.workers = workers
        self._handlers: dict[str, WorkerHandler] = {}
        self._stop = threading.Event()

    def _handler(self, worker: Worker) -> WorkerHandler:
        if worker.handler not in self._handlers:
            module = importlib.import_module(worker.handler)
            self._handlers[worker.handler] = module.handler
        return self._handlers[worker.handler]

    def claim(self, worker: Worker) -> list[Any]:
        with self.engine.begin() as conn:
            return list(
                conn.execute(
                    text(
                        "UPDATE queue_messages SET receive_count = receive_count + 1,"
                        " available_at = now() + make_interval(secs => :visibility)"
                        " WHERE id IN (SELECT id FROM queue_messages WHERE queue = :queue"
                        "   AND dead_at IS NULL AND available_at <= now()"
                        "   ORDER BY available_at LIMIT :batch FOR UPDATE SKIP LOCKED)"
                        " RETURNING id, body, receive_count, max_receives, created_at"
                    ),
                    {
                        "queue": worker.queue,
                        "visibility": worker.visibility_timeout_s,
                        "batch": worker.batch_size,
                    },
                )
            )

    def run_once(self, worker: Worker) -> int:
        """Process one batch of `worker`'s queue; returns how many messages were claimed."""
        rows = self.claim(worker)
        if not rows:
            return 0
        failed: set[str]
        try:
            result = self._handler(worker)(
                sqs_event(worker.queue, rows),
                lambda_context(worker.function_name, worker.timeout_s),
            )
            failed = {f["itemIdentifier"] for f in (result or {}).get("batchItemFailures", [])}
        except Exception:
            logger.exception(
                "worker crashed; the whole batch will be retried", extra={"queue": worker.queue}
            )
            failed = {row.id for row in rows}
        self._settle(worker, rows, failed)
        return len(rows)

    def _settle(self, worker: Worker, rows: list[Any], failed: set[str]) -> None:
        done = [row.id for row in rows if row.id not in failed]
        with self.engine.begin() as conn:
            if done:
                conn.execute(text("DELETE FROM queue_messages WHERE id = ANY(:ids)"), {"ids": done})
            for row in rows:
                if row.id not in failed:
                    continue
                if row.receive_count >= row.max_receives:
                    conn.execute(
                        text("UPDATE queue_messages SET dead_at = now() WHERE id = :id"),
                        {"id": row.id},
                    )
                    logger.warning(
                        "message dead-lettered", extra={"queue": worker.queue, "id": row.id}
                    )
                else:
                    # Backoff: 2, 4, 8… seconds, capped by the visibility timeout.
                    delay = min(2**row.receive_count, worker.visibility_timeout_s)
                    conn.execute(
                        text(
                            "UPDATE queue_messages"
                            " SET available_at = now() + make_interval(secs => :d) WHERE id = :id"
                        ),
                        {"id": row.id, "d": delay},
                    )

    def drain(self, timeout_s: float = 30.0) -> None:
        """Process until every queue is empty of due messages (tests and the CLI)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if not sum(self.run_once(w) for w in self.workers):
                return

    def run_forever(self, poll_s: float = 0.2) -> None:
        while not self._stop.is_set():
            busy = 0
            for worker in self.workers:
                try:
                    busy += self.run_once(worker)
                except Exception:
                    logger.exception("queue poll failed", extra={"queue": worker.queue})
            if not busy:
                self._stop.wait(poll_s)

    def stop(self) -> None:
        self._stop.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def wait(self, seconds: float) -> None:
        self._stop.wait(seconds)
