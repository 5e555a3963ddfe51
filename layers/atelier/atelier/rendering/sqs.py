"""The SQS side of the render workers: powertools partial batch failures around
`process_render`, so one bad message never makes the good ones run again."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from atelier import bootstrap, routes
from atelier.rendering.worker import process_render


def sqs_handler(queue: str) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    worker = next(w for w in routes.WORKERS if w.queue == queue)
    processor = BatchProcessor(event_type=EventType.SQS)

    def record_handler(record: SQSRecord) -> None:
        process_render(
            json.loads(record.body),
            receive_count=int(record.attributes.approximate_receive_count),
            max_receives=worker.max_receive_count,
            storage=bootstrap.storage(),
        )

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return dict(
            process_partial_response(
                event=event, record_handler=record_handler, processor=processor, context=context
            )
        )

    return handler
