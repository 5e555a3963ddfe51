"""SQS worker for the email queue: transactional email through SES (or the local outbox)."""

import json
from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from atelier import bootstrap
from atelier.notifications.service import process_email
from atelier.settings import get_settings

processor = BatchProcessor(event_type=EventType.SQS)


def record_handler(record: SQSRecord) -> None:
    process_email(json.loads(record.body), bootstrap.mailer(), get_settings().email_from)


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return dict(
        process_partial_response(
            event=event, record_handler=record_handler, processor=processor, context=context
        )
    )
