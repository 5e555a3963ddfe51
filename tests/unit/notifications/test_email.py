"""Transactional email: both languages, HTML escaped, the SES adapter against moto."""

from __future__ import annotations

from email import message_from_bytes
from pathlib import Path

import boto3
import jinja2
import pytest
from moto import mock_aws

from atelier.notifications.email import NAMES, OutboxMailer, SesMailer, render_email

ORDER = {
    "brand_name": "Atelier & Co",
    "customer_name": "Zoé",
    "order_number": "#1001",
    "items": [{"quantity": 2, "text": "Zoé & Martin"}],
    "total": "59.80 EUR",
    "carrier": "colissimo",
    "tracking_number": "6A123",
    "tracking_url": "https://track.example/6A123",
}


def test_english_and_french():
    en = render_email("order_confirmation", "en", "zoe@example.com", ORDER)
    fr = render_email("order_confirmation", "fr", "zoe@example.com", ORDER)
    assert en.subject == "Your order #1001 is confirmed"
    assert fr.subject == "Votre commande #1001 est confirmée"
    assert "2 × Zoé & Martin" in en.text and "Total : 59.80 EUR" in fr.text
    assert "Atelier &amp; Co" in en.html and "Atelier & Co" not in en.html, "HTML is escaped"
    assert render_email("order_confirmation", "de", "z@x.example", ORDER).subject == en.subject


def test_every_template_exists_in_both_languages():
    context = {
        **ORDER,
        "work_order_id": "wo1",
        "reason": "boom",
        "kind": "final",
        "snapshot_id": "s1",
        "width_px": 10,
        "height_px": 5,
        "webhook_name": "erp",
        "url": "https://erp.example/hooks",
        "failures": 5,
    }
    for name in NAMES:
        for locale in ("en", "fr"):
            assert render_email(name, locale, "x@example.com", context).subject


def test_a_missing_value_is_an_error_not_a_blank():
    with pytest.raises(jinja2.UndefinedError):
        render_email("order_shipped", "en", "x@example.com", {"order_number": "#1"})


def test_outbox_writes_a_multipart_message(tmp_path: Path):
    mailer = OutboxMailer(tmp_path)
    mailer.send(
        render_email("order_shipped", "fr", "zoe@example.com", ORDER),
        "Atelier <no-reply@atelier.local>",
    )
    [path] = tmp_path.glob("*.eml")
    message = message_from_bytes(path.read_bytes())
    assert message["To"] == "zoe@example.com" and "en route" in message["Subject"]
    assert sorted(
        part.get_content_type() for part in message.walk() if not part.is_multipart()
    ) == ["text/html", "text/plain"]


def test_ses_adapter(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        client = boto3.client("ses", region_name="eu-west-1")
        client.verify_email_identity(EmailAddress="no-reply@atelier.example")
        message_id = SesMailer(client).send(
            render_email("order_shipped", "en", "zoe@example.com", ORDER),
            "no-reply@atelier.example",
        )
        assert message_id
        assert client.get_send_quota()["SentLast24Hours"] == 1
