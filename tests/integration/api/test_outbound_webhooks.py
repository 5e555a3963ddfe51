"""Outbound webhooks: Standard Webhooks signatures, retries, logs, disabling, the brand told."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from atelier import routes
from atelier.db.session import get_engine
from atelier.local.queue_runner import QueueRunner

from .conftest import Api, Tenant

pytestmark = pytest.mark.integration


class Receiver(BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []
    status = 204

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.received.append(
            {"headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
        )
        self.send_response(self.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[str]:
    Receiver.received, Receiver.status = [], 204
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hooks"
    server.shutdown()


def verify(secret: str, delivery: dict[str, Any]) -> bool:
    """The Standard Webhooks check, written independently of the code under test."""
    h = delivery["headers"]
    key = base64.b64decode(secret.split("_", 1)[1])
    signed = f"{h['webhook-id']}.{h['webhook-timestamp']}.".encode() + delivery["body"]
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(
        hmac.compare_digest(expected, sig.split(",", 1)[1])
        for sig in h["webhook-signature"].split()
    )


def test_deliveries_are_signed(
    api: Api, tenants: tuple[Tenant, Tenant], receiver: str, database_url: str
):
    a, _ = tenants
    created = api.brand(
        a,
        "POST",
        "/api/v1/webhook-endpoints",
        json_body={"url": receiver, "events": ["SNAPSHOT_CREATED"]},
    )
    assert created.status == 201, created.body
    secret = created.json()["secret"]
    assert secret.startswith("whsec_")
    assert "secret" not in api.brand(a, "GET", "/api/v1/webhook-endpoints").json()["items"][0]
    # The row keeps the secret sealed (a dump of the table does not sign anything).
    engine = create_engine(database_url)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT secret FROM webhooks")).scalar_one()
    engine.dispose()
    assert stored.startswith("sealed:v1:") and secret not in stored
    snap = api.widget(
        a,
        "POST",
        "/api/v1/snapshots",
        json_body={
            "design": {"productId": a.product_id, "zones": {a.zone_ids[0]: {"text": "Hook"}}}
        },
    ).json()
    QueueRunner(get_engine(), routes.WORKERS).drain()
    [delivery] = Receiver.received
    assert verify(secret, delivery)
    payload = json.loads(delivery["body"])
    assert payload["type"] == "snapshot.created" and payload["data"]["snapshotId"] == snap["id"]
    assert not verify("whsec_" + base64.b64encode(b"x" * 24).decode(), delivery)


def test_a_failing_endpoint_is_retried_logged_then_disabled_and_the_brand_told(
    api: Api, tenants: tuple[Tenant, Tenant], receiver: str, database_url: str, tmp_path: Path
):
    a, _ = tenants
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE brands SET support_email = 'ops@maison-a.example' WHERE id = :b"),
            {"b": a.brand_id},
        )
    api.brand(
        a,
        "POST",
        "/api/v1/webhook-endpoints",
        json_body={"url": receiver, "events": ["SNAPSHOT_CREATED"]},
    )
    Receiver.status = 500
    api.widget(
        a,
        "POST",
        "/api/v1/snapshots",
        json_body={
            "design": {"productId": a.product_id, "zones": {a.zone_ids[0]: {"text": "Down"}}}
        },
    )
    runner = QueueRunner(get_engine(), routes.WORKERS)
    worker = next(w for w in routes.WORKERS if w.queue == "webhooks")
    for _ in range(worker.max_receive_count):
        runner.run_once(worker)
        with engine.begin() as conn:
            conn.execute(
                text("UPDATE queue_messages SET available_at = now() WHERE dead_at IS NULL")
            )
    runner.drain()
    with engine.connect() as conn:
        logs = conn.execute(
            text("SELECT count(*), bool_or(success), max(status_code) FROM webhook_logs")
        ).one()
    engine.dispose()
    assert tuple(logs) == (5, False, 500), "five attempts logged, then no more: it is disabled"
    assert len(Receiver.received) == 5
    [endpoint] = api.brand(a, "GET", "/api/v1/webhook-endpoints").json()["items"]
    assert (
        endpoint["isActive"] is False and endpoint["disabledAt"] and endpoint["failureCount"] == 5
    )
    mails = [message_from_bytes(p.read_bytes()) for p in (tmp_path / "outbox").glob("*.eml")]
    assert [m["To"] for m in mails] == ["ops@maison-a.example"]
    assert "disabled" in mails[0]["Subject"]
