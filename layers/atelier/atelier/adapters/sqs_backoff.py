"""Exponential backoff for SQS redeliveries.

SQS makes a failed message visible again after the queue's visibility timeout, always the
same delay. Workers that talk to other people's servers (webhook endpoints) push the
message's visibility further out on each attempt instead: 10 s, 20 s, 40 s… capped at
SQS's 12 hours. The local queue applies its own backoff, so local records are left alone.
"""

from __future__ import annotations

from typing import Any

MAX_VISIBILITY_S = 12 * 3600
BASE_DELAY_S = 10


def delay_for(attempt: int) -> int:
    return min(MAX_VISIBILITY_S, BASE_DELAY_S * 2 ** max(0, attempt - 1))


def queue_url(arn: str) -> str | None:
    """arn:aws:sqs:region:account:name → the queue's URL (None for the local queue)."""
    parts = arn.split(":")
    if len(parts) != 6 or parts[3] == "local":
        return None
    return f"https://sqs.{parts[3]}.amazonaws.com/{parts[4]}/{parts[5]}"


def back_off(record: Any, client: Any | None = None) -> None:
    url = queue_url(str(record.event_source_arn))
    if url is None:
        return
    if client is None:
        import boto3

        client = boto3.client("sqs")
    client.change_message_visibility(
        QueueUrl=url,
        ReceiptHandle=record.receipt_handle,
        VisibilityTimeout=delay_for(int(record.attributes.approximate_receive_count)),
    )
