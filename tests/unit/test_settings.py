"""Settings: environment first, then the deployment's Secrets Manager secret (moto)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from atelier.errors import ServiceUnavailable
from atelier.settings import Settings, get_settings


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        yield


def put_secret(name: str, value: str) -> str:
    client = boto3.client("secretsmanager", region_name="eu-west-1")
    return str(client.create_secret(Name=name, SecretString=value)["ARN"])


@pytest.fixture
def fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_the_secret_fills_what_the_environment_leaves_unset(aws: None):
    arn = put_secret(
        "atelier/dev/app",
        json.dumps(
            {
                "stripe_secret_key": "sk_test_from_secret",
                "stripe_webhook_secret": "whsec_from_secret",
                "not_a_setting": "ignored",
                "secrets_arn": "arn:aws:secretsmanager:elsewhere",
            }
        ),
    )
    settings = Settings.from_env(
        {"ATELIER_SECRETS_ARN": arn, "ATELIER_STRIPE_WEBHOOK_SECRET": "whsec_from_env"}
    )
    assert settings.stripe_secret_key == "sk_test_from_secret"
    assert settings.stripe_webhook_secret == "whsec_from_env", "the environment wins"
    assert settings.secrets_arn == arn, "the secret cannot redirect itself"
    assert not hasattr(settings, "not_a_setting")


def test_get_settings_reads_the_secret_once_per_execution_environment(
    aws: None, fresh_settings: None, monkeypatch: pytest.MonkeyPatch
):
    arn = put_secret("atelier/dev/app", json.dumps({"stripe_secret_key": "sk_test_1"}))
    monkeypatch.setenv("ATELIER_SECRETS_ARN", arn)
    assert get_settings().stripe_secret_key == "sk_test_1"
    boto3.client("secretsmanager", region_name="eu-west-1").delete_secret(
        SecretId=arn, ForceDeleteWithoutRecovery=True
    )
    assert get_settings().stripe_secret_key == "sk_test_1", "not fetched again"


def test_a_missing_secret_is_a_clear_service_error(aws: None):
    arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:atelier/nope-AbCdEf"
    with pytest.raises(ServiceUnavailable) as raised:
        Settings.from_env({"ATELIER_SECRETS_ARN": arn})
    assert str(raised.value) == f"The secret {arn} could not be read (ResourceNotFoundException)."


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('{"stripe_secret_key": "sk_live_TOPSECRET"', "is not valid JSON"),
        ('["sk_live_TOPSECRET"]', "is not a JSON object"),
        ('{"database_port": "sk_live_TOPSECRET"}', "Invalid settings: database_port"),
    ],
)
def test_a_malformed_secret_never_shows_its_content(aws: None, content: str, problem: str):
    arn = put_secret("atelier/dev/bad", content)
    with pytest.raises(ServiceUnavailable) as raised:
        Settings.from_env({"ATELIER_SECRETS_ARN": arn})
    assert problem in str(raised.value)
    shown = f"{raised.value!s} {raised.value!r} {raised.value.__cause__!r}"
    assert "TOPSECRET" not in shown


def test_database_fields_come_from_the_environment():
    settings = Settings.from_env(
        {
            "ATELIER_DATABASE_HOST": "proxy.example",
            "ATELIER_DATABASE_PORT": "6432",
            "ATELIER_DATABASE_IAM_AUTH": "true",
            "ATELIER_ADMIN_DATABASE_USER": "atelier_owner",
            "ATELIER_APP_DATABASE_SECRET_ARN": "arn:app",
        }
    )
    assert (settings.database_host, settings.database_port) == ("proxy.example", 6432)
    assert settings.database_iam_auth is True
    assert (settings.database_user, settings.admin_database_user) == (
        "atelier_app",
        "atelier_owner",
    )
    assert settings.database_name == "atelier" and settings.app_database_secret_arn == "arn:app"


def test_settings_and_engines_do_not_import_boto3():
    """API import time: boto3 (~150 ms) is loaded only when a secret or a token is needed."""
    code = (
        "import sys, atelier.settings, atelier.db.session, atelier.db.aws_auth;"
        "atelier.settings.Settings.from_env({});"
        "print('boto3' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
