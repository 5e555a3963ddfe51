"""Exponential backoff for webhook redeliveries, against moto's SQS."""

from __future__ import annotations

from types import SimpleNamespace

import boto3
import pytest
from moto import mock_aws

from atelier.adapters.sqs_backoff import back_off, delay_for, queue_url


def test_delays_double_and_are_capped():
    assert [delay_for(n) for n in (1, 2, 3, 4)] == [10, 20, 40, 80]
    assert delay_for(40) == 12 * 3600


def test_queue_urls_from_arns():
    assert (
        queue_url("arn:aws:sqs:eu-west-1:123456789012:webhooks")
        == "https://sqs.eu-west-1.amazonaws.com/123456789012/webhooks"
    )
    assert queue_url("arn:aws:sqs:local:000000000000:webhooks") is None


def test_back_off_moves_the_message_out(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        client = boto3.client("sqs", region_name="us-east-1")
        url = client.create_queue(QueueName="webhooks")["QueueUrl"]
        client.send_message(QueueUrl=url, MessageBody="{}")
        [message] = client.receive_message(QueueUrl=url, VisibilityTimeout=0)["Messages"]
        record = SimpleNamespace(
            event_source_arn="arn:aws:sqs:us-east-1:123456789012:webhooks",
            receipt_handle=message["ReceiptHandle"],
            attributes=SimpleNamespace(approximate_receive_count="3"),
        )
        back_off(record, client)
        # hidden for 40 s now: nothing to receive
        assert "Messages" not in client.receive_message(QueueUrl=url, WaitTimeSeconds=0)
