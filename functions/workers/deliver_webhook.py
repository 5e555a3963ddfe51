"""SQS worker for the webhooks queue: signed deliveries to brands' endpoints."""

import json
from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from atelier.commerce.dispatch import dispatch
from atelier.notifications.webhooks import deliver

processor = BatchProcessor(event_type=EventType.SQS)


def record_handler(record: SQSRecord) -> None:
    email = deliver(
        json.loads(record.body), attempt=int(record.attributes.approximate_receive_count)
    )
    dispatch(emails=(email,))


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return dict(
        process_partial_response(
            event=event, record_handler=record_handler, processor=processor, context=context
        )
    )
