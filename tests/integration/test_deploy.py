"""The `migrate` function against a real PostgreSQL: the stack's custom resource (answered
on a real HTTP server standing in for S3) and the operators' direct actions.

The owner is reached through `ATELIER_ADMIN_DATABASE_URL` (IAM auth is the only AWS part
that cannot run here; tests/unit/db covers it), the application role's secret is in
Secrets Manager (moto).
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
import scramp
from moto import mock_aws
from sqlalchemy import create_engine, text

from atelier import bootstrap
from atelier.auth.keys import hash_key
from atelier.db import migrate
from atelier.db.deploy import SCHEMA_LOCK_ID, deploy_schema
from functions.system.migrate import handler
from tests.cfn_endpoint import CfnEndpoint, LambdaContext, cfn_endpoint

pytestmark = pytest.mark.integration

HEAD = migrate.head_revision()


@dataclass
class Deployment:
    owner_url: str
    app_secret_arn: str
    app_password: str

    def scalar(self, sql: str, **params: Any) -> Any:
        engine = create_engine(self.owner_url)
        try:
            with engine.connect() as conn:
                return conn.execute(text(sql), params).scalar()
        finally:
            engine.dispose()

    def execute(self, sql: str, **params: Any) -> None:
        engine = create_engine(self.owner_url)
        try:
            with engine.begin() as conn:
                conn.execute(text(sql), params)
        finally:
            engine.dispose()

    def revision(self) -> str | None:
        return migrate.current_revision(self.owner_url)


@pytest.fixture
def cfn() -> Iterator[CfnEndpoint]:
    with cfn_endpoint() as endpoint:
        yield endpoint


@pytest.fixture
def deployment(empty_database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Deployment]:
    """A fresh, empty database; the function's environment as the stack sets it, with the
    owner's URL in place of the proxy."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    for name in ("DATABASE_URL", "ATELIER_DATABASE_URL", "ATELIER_SECRETS_ARN"):
        monkeypatch.delenv(name, raising=False)
    # Any ASCII goes: quotes and dollars included (DDL takes no bind parameters).
    password = secrets.token_urlsafe(24) + "'\"$:%"
    with mock_aws():
        arn = boto3.client("secretsmanager").create_secret(
            Name="atelier/dev/app-db",
            SecretString=json.dumps({"username": "atelier_app", "password": password}),
        )["ARN"]
        monkeypatch.setenv("ATELIER_ADMIN_DATABASE_URL", empty_database_url)
        monkeypatch.setenv("ATELIER_APP_DATABASE_SECRET_ARN", arn)
        bootstrap.reset()
        yield Deployment(empty_database_url, arn, password)
        bootstrap.reset()


def nowhere(tmp_path: Path) -> str:
    return f"postgresql+pg8000://atelier_owner@/atelier?unix_sock={tmp_path}/.s.PGSQL.5432"


def scram_login(stored: str, user: str, password: str) -> None:
    """The SCRAM-SHA-256 exchange PostgreSQL runs at login against the stored verifier, with
    scramp (pg8000's own SCRAM implementation) on both sides; raises when it fails."""
    found = re.fullmatch(r"SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)", stored)
    assert found, "the role's password is stored as a SCRAM-SHA-256 verifier"
    iterations, salt, stored_key, server_key = (
        int(found[1]),
        *(base64.b64decode(part) for part in found.groups()[1:]),
    )
    server = scramp.ScramMechanism("SCRAM-SHA-256").make_server(
        lambda username: (salt, stored_key, server_key, iterations)
    )
    client = scramp.ScramClient(["SCRAM-SHA-256"], user, password)
    server.set_client_first(client.get_client_first())
    client.set_server_first(server.get_server_first())
    server.set_client_final(client.get_client_final())
    client.set_server_final(server.get_server_final())


def app_password_verifier(deployment: Deployment) -> str:
    return str(deployment.scalar("SELECT rolpassword FROM pg_authid WHERE rolname = 'atelier_app'"))


# The custom resource ------------------------------------------------------------------------


def test_create_migrates_a_fresh_database_and_sets_the_app_role_password(
    deployment: Deployment, cfn: CfnEndpoint
):
    assert deployment.revision() is None
    event = cfn.event("Create")
    handler(event, LambdaContext())

    response = cfn.only_response()
    assert response["Status"] == "SUCCESS", response["Reason"]
    assert response["PhysicalResourceId"] == "atelier-schema"
    assert (response["StackId"], response["RequestId"], response["LogicalResourceId"]) == (
        event["StackId"],
        event["RequestId"],
        "Schema",
    )
    assert response["Data"] == {"Revision": HEAD, "AppRole": "atelier_app", "SealedSecrets": "0"}
    assert cfn.puts[0].headers["Content-Type"] == ""
    assert deployment.revision() == HEAD

    stored = app_password_verifier(deployment)
    assert deployment.app_password not in stored
    scram_login(stored, "atelier_app", deployment.app_password)  # RDS Proxy's login works
    with pytest.raises(scramp.ScramException):
        scram_login(stored, "atelier_app", deployment.app_password + "x")


def test_an_update_with_nothing_new_changes_nothing_and_succeeds(
    deployment: Deployment, cfn: CfnEndpoint
):
    handler(cfn.event("Create"), LambdaContext())
    brand = handler({"action": "create-brand", "name": "Maison Dupré"}, LambdaContext())

    handler(cfn.event("Update"), LambdaContext())

    first, second = (put.body for put in cfn.puts)
    assert second["Status"] == "SUCCESS", second["Reason"]
    assert second["PhysicalResourceId"] == first["PhysicalResourceId"] == "atelier-schema"
    assert second["Data"] == first["Data"]
    assert first["Data"] == {"Revision": HEAD, "AppRole": "atelier_app", "SealedSecrets": "0"}
    assert deployment.scalar("SELECT count(*) FROM alembic_version") == 1
    assert deployment.scalar("SELECT name FROM brands WHERE id = :id", id=brand["id"])
    scram_login(app_password_verifier(deployment), "atelier_app", deployment.app_password)


def test_an_unreachable_database_answers_failed_with_a_reason_and_no_trace(
    deployment: Deployment, cfn: CfnEndpoint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("ATELIER_ADMIN_DATABASE_URL", nowhere(tmp_path))
    bootstrap.reset()
    started = time.monotonic()
    handler(cfn.event("Create"), LambdaContext())

    response = cfn.only_response()
    assert response["Status"] == "FAILED"
    assert response["Reason"].startswith("InterfaceError: ")
    assert "communication error" in response["Reason"]
    assert "Traceback" not in response["Reason"] and 'File "' not in response["Reason"]
    assert "(log stream 2026/11/30/[$LATEST]abc)" in response["Reason"]
    assert response["PhysicalResourceId"] == "atelier-schema"
    assert time.monotonic() - started < 10, "answered at once, not at the timeout"


def test_an_unreadable_app_secret_fails_before_touching_the_database(
    deployment: Deployment, cfn: CfnEndpoint, monkeypatch: pytest.MonkeyPatch
):
    missing = deployment.app_secret_arn + "-gone"
    monkeypatch.setenv("ATELIER_APP_DATABASE_SECRET_ARN", missing)
    bootstrap.reset()
    handler(cfn.event("Create"), LambdaContext())

    response = cfn.only_response()
    assert response["Status"] == "FAILED"
    assert (
        f"The secret {missing} could not be read (ResourceNotFoundException)"
        in (response["Reason"])
    )
    assert deployment.revision() is None


def test_delete_succeeds_without_touching_the_database(
    deployment: Deployment, cfn: CfnEndpoint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    handler(cfn.event("Create"), LambdaContext())
    monkeypatch.setenv("ATELIER_ADMIN_DATABASE_URL", nowhere(tmp_path))  # would fail if used
    bootstrap.reset()

    handler(cfn.event("Delete"), LambdaContext())

    response = cfn.puts[-1].body
    assert response["Status"] == "SUCCESS", response["Reason"]
    assert response["PhysicalResourceId"] == "atelier-schema"
    assert deployment.revision() == HEAD, "the data stays"


def test_concurrent_deployments_wait_for_the_schema_lock(deployment: Deployment):
    holder = create_engine(deployment.owner_url)
    results: list[str | None] = []
    with holder.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:id)"), {"id": SCHEMA_LOCK_ID})
        conn.commit()
        migrator = create_engine(deployment.owner_url)
        thread = threading.Thread(
            target=lambda: results.append(deploy_schema(migrator).revision), daemon=True
        )
        thread.start()
        time.sleep(1.0)
        waiting = conn.execute(
            text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            )
        ).scalar()
        conn.commit()
        assert thread.is_alive() and waiting == 1, "the second run waits"
        assert deployment.revision() is None, "and has changed nothing yet"
        conn.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": SCHEMA_LOCK_ID})
        conn.commit()
    thread.join(timeout=120)
    assert results == [HEAD]
    assert deployment.scalar("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'") == 0
    migrator.dispose()
    holder.dispose()


# Operators' actions -------------------------------------------------------------------------


def test_migrate_action_upgrades_and_reports_the_revision(deployment: Deployment):
    result = handler({"action": "migrate"}, LambdaContext())
    assert result == {"revision": HEAD, "appRole": "atelier_app", "sealedSecrets": 0}
    assert deployment.revision() == HEAD


def test_migrate_seals_secrets_stored_in_clear(deployment: Deployment):
    from atelier import sealing

    handler({"action": "migrate"}, LambdaContext())
    brand = handler({"action": "create-brand", "name": "Maison Claire"}, LambdaContext())
    deployment.execute(
        "INSERT INTO integrations (id, brand_id, provider, external_account, webhook_secret)"
        " VALUES ('int_legacy', :b, 'shopify', 'claire.myshopify.com', 'shpss_in_clear')",
        b=brand["id"],
    )
    assert handler({"action": "migrate"}, LambdaContext())["sealedSecrets"] == 1
    stored = str(
        deployment.scalar("SELECT webhook_secret FROM integrations WHERE id = 'int_legacy'")
    )
    assert sealing.is_sealed(stored) and "shpss_in_clear" not in stored
    context = sealing.integration_context(brand["id"])
    assert sealing.unseal(stored, context=context) == "shpss_in_clear"
    assert handler({"action": "migrate"}, LambdaContext())["sealedSecrets"] == 0  # idempotent


def test_create_brand_then_keys(deployment: Deployment):
    handler({"action": "migrate"}, LambdaContext())
    brand = handler(
        {
            "action": "create-brand",
            "name": "Maison Dupré",
            "origins": ["https://dupre.example/", "http://localhost:5173"],
        },
        LambdaContext(),
    )
    assert brand == {"id": brand["id"], "slug": "maison-dupre", "name": "Maison Dupré"}
    origins = deployment.scalar(
        "SELECT allowed_origins FROM client_settings WHERE brand_id = :b", b=brand["id"]
    )
    assert origins == ["https://dupre.example", "http://localhost:5173"]

    pk = handler({"action": "create-key", "brand": "maison-dupre"}, LambdaContext())
    sk = handler(
        {"action": "create-key", "brand": brand["id"], "kind": "secret", "name": "erp"},
        LambdaContext(),
    )
    assert pk["secret"].startswith("pk_") and pk["kind"] == "publishable"
    assert sk["secret"].startswith("sk_") and sk["brandId"] == brand["id"]
    stored = deployment.scalar("SELECT key_hash FROM api_keys WHERE id = :id", id=sk["id"])
    assert stored == hash_key(sk["secret"]), "only the hash is stored"

    again = handler({"action": "create-brand", "name": "Maison Dupré"}, LambdaContext())
    assert again == {
        "error": "A brand with slug 'maison-dupre' exists.",
        "type": "urn:atelier:problem:conflict",
    }
    missing = handler({"action": "create-key", "brand": "nobody"}, LambdaContext())
    assert missing == {"error": "No brand 'nobody'.", "type": "urn:atelier:problem:not-found"}


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (
            {},
            {"error": "Unknown action None.", "actions": ["migrate", "create-brand", "create-key"]},
        ),
        ({"action": "drop-everything"}, {"error": "Unknown action 'drop-everything'."}),
        ("migrate", {"error": "Unknown action None."}),
        (
            {"action": "create-brand", "origins": ["shop.example"]},
            {
                "error": "Invalid payload for 'create-brand'.",
                "fields": ["name", "origins.0"],
            },
        ),
        (
            {"action": "create-key", "brand": "x", "kind": "admin", "extra": 1},
            {"error": "Invalid payload for 'create-key'.", "fields": ["kind", "extra"]},
        ),
    ],
)
def test_a_bad_payload_answers_an_error_not_a_trace(
    deployment: Deployment, payload: Any, expected: dict[str, Any]
):
    result = handler(payload, LambdaContext())
    assert result["error"] == expected["error"]
    if "actions" in expected:
        assert result["actions"] == expected["actions"]
    if "fields" in expected:
        assert [e["field"] for e in result["errors"]] == expected["fields"]
    assert deployment.revision() is None, "nothing ran"


def test_an_action_on_an_unreachable_database_answers_an_error(
    deployment: Deployment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("ATELIER_ADMIN_DATABASE_URL", nowhere(tmp_path))
    bootstrap.reset()
    result = handler({"action": "create-brand", "name": "X"}, LambdaContext())
    assert result == {
        "error": "The database is unavailable.",
        "type": "urn:atelier:problem:service-unavailable",
    }
