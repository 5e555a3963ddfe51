"""IAM auth through RDS Proxy: a fresh token per connection, over verified TLS, and the
engines chosen from the settings the stack sets."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from moto import mock_aws
from sqlalchemy import event, text

from atelier import bootstrap
from atelier.db import aws_auth
from atelier.db.aws_auth import IamTarget, iam_engine, rds_auth_token
from atelier.db.session import get_admin_engine, get_engine, unit_of_work
from atelier.errors import ServiceUnavailable

TARGET = IamTarget(host="proxy.example", port=5432, database="atelier", user="atelier_app")


class Captured(Exception):
    """Stops a connection attempt once the driver's arguments are known."""

    def __init__(self, cparams: dict[str, Any]) -> None:
        self.cparams = dict(cparams)


def capture_connect(engine: Any) -> None:
    # Registered after the token listener, so it sees what pg8000 would be called with.
    @event.listens_for(engine, "do_connect")
    def _capture(dialect: Any, conn_rec: Any, cargs: Any, cparams: dict[str, Any]) -> None:
        raise Captured(cparams)


def connect_params(engine: Any) -> dict[str, Any]:
    with pytest.raises(Captured) as raised:
        engine.connect()
    return raised.value.cparams


def test_every_new_connection_gets_a_fresh_token_over_tls():
    calls: list[tuple[str, int, str]] = []

    def tokens(host: str, port: int, user: str) -> str:
        calls.append((host, port, user))
        return f"token-{len(calls)}"

    engine = iam_engine(TARGET, token_provider=tokens)
    capture_connect(engine)
    first, second = connect_params(engine), connect_params(engine)

    assert calls == [("proxy.example", 5432, "atelier_app")] * 2
    assert (first["password"], second["password"]) == ("token-1", "token-2")
    assert engine.url.password is None, "no password in the URL"
    assert str(engine.url) == "postgresql+pg8000://atelier_app@proxy.example:5432/atelier"
    assert (first["host"], first["port"], first["user"], first["database"]) == (
        "proxy.example",
        5432,
        "atelier_app",
        "atelier",
    )
    tls = first["ssl_context"]
    assert isinstance(tls, ssl.SSLContext)
    assert tls.verify_mode == ssl.CERT_REQUIRED and tls.check_hostname


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    aws_auth._rds_client.cache_clear()
    with mock_aws():
        yield
    aws_auth._rds_client.cache_clear()


def test_the_default_token_is_an_rds_connect_presigned_request(aws_env: None):
    token = rds_auth_token("proxy.example", 5432, "atelier_app")
    assert token.startswith("proxy.example:5432/?")
    query = parse_qs(urlsplit("https://" + token).query)
    assert query["Action"] == ["connect"] and query["DBUser"] == ["atelier_app"]
    assert query["X-Amz-Credential"][0].endswith("/eu-west-1/rds-db/aws4_request")
    assert query["X-Amz-Expires"] == ["900"] and query["X-Amz-Signature"]


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    for name in ("DATABASE_URL", "ATELIER_DATABASE_URL", "ATELIER_ADMIN_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    bootstrap.reset()
    yield monkeypatch
    bootstrap.reset()


def aws_database(monkeypatch: pytest.MonkeyPatch, **extra: str) -> None:
    """The variables the stack sets on a function that reaches the database."""
    monkeypatch.setenv("ATELIER_DATABASE_HOST", "proxy.example")
    monkeypatch.setenv("ATELIER_DATABASE_PORT", "5432")
    monkeypatch.setenv("ATELIER_DATABASE_USER", "atelier_app")
    monkeypatch.setenv("ATELIER_DATABASE_IAM_AUTH", "true")
    for name, value in extra.items():
        monkeypatch.setenv(name, value)
    bootstrap.reset()


def test_without_a_url_the_engines_log_in_at_the_proxy(settings_env: pytest.MonkeyPatch):
    aws_database(settings_env, ATELIER_ADMIN_DATABASE_USER="atelier_owner")
    app, owner = get_engine(), get_admin_engine()
    assert str(app.url) == "postgresql+pg8000://atelier_app@proxy.example:5432/atelier"
    assert str(owner.url) == "postgresql+pg8000://atelier_owner@proxy.example:5432/atelier"
    assert get_engine() is app and get_admin_engine() is owner, "one engine per environment"


def test_urls_win_over_the_proxy(settings_env: pytest.MonkeyPatch):
    aws_database(
        settings_env,
        DATABASE_URL="postgresql+pg8000://app@/db?unix_sock=/tmp/x",
        ATELIER_ADMIN_DATABASE_URL="postgresql+pg8000://owner@/db?unix_sock=/tmp/x",
    )
    assert get_engine().url.username == "app" and get_admin_engine().url.username == "owner"


def test_the_owner_engine_never_falls_back_to_the_application_role(
    settings_env: pytest.MonkeyPatch,
):
    aws_database(settings_env)  # no ATELIER_ADMIN_DATABASE_USER
    with pytest.raises(ServiceUnavailable, match="ATELIER_ADMIN_DATABASE_USER"):
        get_admin_engine()
    settings_env.setenv("DATABASE_URL", "postgresql+pg8000://app@/db?unix_sock=/tmp/x")
    bootstrap.reset()
    with pytest.raises(ServiceUnavailable):
        get_admin_engine()


def test_a_proxy_without_iam_auth_is_refused(settings_env: pytest.MonkeyPatch):
    aws_database(settings_env, ATELIER_DATABASE_IAM_AUTH="false")
    with pytest.raises(ServiceUnavailable, match="ATELIER_DATABASE_IAM_AUTH"):
        get_engine()


def test_nothing_configured_is_a_service_error(settings_env: pytest.MonkeyPatch):
    with pytest.raises(ServiceUnavailable, match="No database is configured"):
        get_engine()
    with pytest.raises(ServiceUnavailable, match="No database is configured"), unit_of_work():
        pass


def test_unit_of_work_goes_through_token_and_tls_to_the_socket(
    settings_env: pytest.MonkeyPatch, aws_env: None
):
    """Nothing listens on 127.0.0.1:1: the attempt gets as far as the network, and the
    refusal is a 503-style error, not a crash."""
    aws_database(settings_env, ATELIER_DATABASE_HOST="127.0.0.1", ATELIER_DATABASE_PORT="1")
    passwords: list[str] = []
    event.listen(
        get_engine(),
        "do_connect",
        lambda dialect, rec, cargs, cparams: passwords.append(cparams["password"]),
    )
    unavailable = pytest.raises(ServiceUnavailable, match="The database is unavailable")
    with unavailable, unit_of_work() as session:
        session.execute(text("SELECT 1"))
    assert len(passwords) == 1 and passwords[0].startswith("127.0.0.1:1/?Action=connect")
