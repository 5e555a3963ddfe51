"""Transactional email: Jinja2 templates in English and French, HTML and text parts, sent
through SES in AWS or written to an outbox folder locally. Sent by the `email` queue's
worker, once per message key."""

from __future__ import annotations

import email.utils
from abc import ABC, abstractmethod
from dataclasses import dataclass
from email.message import EmailMessage
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

TEMPLATES = Path(__file__).with_name("templates")
LOCALES = ("en", "fr")
NAMES = (
    "order_confirmation",
    "order_shipped",
    "production_error",
    "render_ready",
    "webhook_disabled",
)


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    text: str
    html: str


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html.j2"]),
        undefined=jinja2.StrictUndefined,  # a missing value is a bug, not an empty string
        keep_trailing_newline=True,
    )


def render_email(name: str, locale: str, to: str, context: dict[str, Any]) -> Email:
    if name not in NAMES:
        raise ValueError(f"unknown email template {name!r}")
    locale = locale if locale in LOCALES else "en"
    env = _environment()
    subject = env.get_template(f"{locale}/{name}.subject.txt").render(**context).strip()
    text = env.get_template(f"{locale}/{name}.txt.j2").render(**context)
    html = env.get_template("layout.html.j2").render(locale=locale, subject=subject, text=text)
    return Email(to=to, subject=subject, text=text, html=html)


class Mailer(ABC):
    @abstractmethod
    def send(self, message: Email, sender: str) -> str:
        """Send; returns the provider's message id."""


class OutboxMailer(Mailer):
    """The local runtime's mailer: one .eml file per email in a folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, message: Email, sender: str) -> str:
        mime = EmailMessage()
        mime["From"], mime["To"], mime["Subject"] = sender, message.to, message.subject
        mime["Date"] = email.utils.formatdate(localtime=False)
        message_id = email.utils.make_msgid(domain="atelier.local")
        mime["Message-ID"] = message_id
        mime.set_content(message.text)
        mime.add_alternative(message.html, subtype="html")
        self.folder.mkdir(parents=True, exist_ok=True)
        name = message_id.strip("<>").replace("@", "_")
        (self.folder / f"{name}.eml").write_bytes(bytes(mime))
        return message_id


class SesMailer(Mailer):
    def __init__(self, client: Any | None = None) -> None:
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            import boto3

            self._client = boto3.client("ses")
        return self._client

    def send(self, message: Email, sender: str) -> str:
        response = self.client.send_email(
            Source=sender,
            Destination={"ToAddresses": [message.to]},
            Message={
                "Subject": {"Data": message.subject, "Charset": "UTF-8"},
                "Body": {
                    "Text": {"Data": message.text, "Charset": "UTF-8"},
                    "Html": {"Data": message.html, "Charset": "UTF-8"},
                },
            },
        )
        return str(response["MessageId"])
