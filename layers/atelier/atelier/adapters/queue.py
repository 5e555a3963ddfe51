"""Job queues: SQS in AWS, a PostgreSQL table with SQS semantics locally.

Producers only call `JobQueue.send`. Consumers are the worker Lambdas, which receive SQS
events; locally `atelier.local.queue_runner` turns due rows into the same events and
applies the same rules: a received message is invisible for the visibility timeout, its
receive count grows, failures listed in `batchItemFailures` come back after the timeout
(with backoff), and after `max_receives` a message is dead-lettered.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Engine, text

from atelier.db.ids import new_id


class JobQueue(ABC):
    """The queue port."""

    @abstractmethod
    def send(self, queue: str, body: Mapping[str, Any], *, delay_s: int = 0) -> str:
        """Enqueue one message; returns its id."""


class SqsQueue(JobQueue):
    """Queue URLs come from the environment the stack sets (`ATELIER_QUEUE_<NAME>_URL`)."""

    def __init__(self, urls: Mapping[str, str], client: Any | None = None) -> None:
        self.urls = dict(urls)
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            import boto3  # deferred: only producers pay for it

            self._client = boto3.client("sqs")
        return self._client

    def send(self, queue: str, body: Mapping[str, Any], *, delay_s: int = 0) -> str:
        response = self.client.send_message(
            QueueUrl=self.urls[queue],
            MessageBody=json.dumps(body, sort_keys=True),
            DelaySeconds=delay_s,
        )
        return str(response["MessageId"])


class PostgresQueue(JobQueue):
    """The local runtime's queue: rows in `queue_messages`."""

    def __init__(self, engine: Engine, max_receives: Mapping[str, int] | None = None) -> None:
        self.engine = engine
        self.max_receives = dict(max_receives or {})

    def send(self, queue: str, body: Mapping[str, Any], *, delay_s: int = 0) -> str:
        message_id = new_id()
        with self.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO queue_messages (id, queue, body, available_at, receive_count,"
                    " max_receives) VALUES (:id, :queue, :body,"
                    " now() + make_interval(secs => :delay), 0, :max)"
                ),
                {
                    "id": message_id,
                    "queue": queue,
                    "body": json.dumps(body, sort_keys=True),
                    "delay": delay_s,
                    "max": self.max_receives.get(queue, 5),
                },
            )
        return message_id
