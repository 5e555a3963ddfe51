"""Runtime settings, validated once per execution environment (never at import time)."""

from __future__ import annotations

import os
from functools import lru_cache

from pydantic import BaseModel, Field


class Settings(BaseModel):
    stage: str = Field(default="local", description="Deployment stage: local, dev, prod…")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL (postgresql+pg8000://…) used by the API."
    )
    admin_database_url: str | None = Field(
        default=None, description="The owner's URL: migrations and cross-tenant maintenance."
    )
    database_secret_arn: str | None = Field(
        default=None, description="Secrets Manager secret holding the DB credentials (AWS)."
    )
    database_proxy_endpoint: str | None = Field(default=None, description="RDS Proxy host.")
    database_name: str = "atelier"
    log_level: str = "INFO"
    jwt_issuer: str | None = Field(
        default=None, description="Cognito user pool issuer URL; unset locally."
    )
    jwt_audience: str | None = Field(default=None, description="Cognito app client id.")
    jwt_signing_key: str | None = Field(
        default=None, description="HS256 key of the local token issuer (local runtime only)."
    )
    storage_dir: str | None = Field(default=None, description="Local object storage folder.")
    storage_bucket: str | None = Field(default=None, description="S3 bucket for objects.")
    storage_signing_key: str | None = Field(
        default=None, description="HMAC key for the local storage's signed URLs."
    )
    queue_urls: str | None = Field(
        default=None,
        description='JSON object queue name → SQS URL, e.g. {"render-preview": "https://…"}',
    )
    stripe_secret_key: str | None = Field(default=None, description="Stripe API key (sk_…).")
    stripe_webhook_secret: str | None = Field(
        default=None, description="The Stripe webhook endpoint's signing secret (whsec_…)."
    )
    stripe_api_base: str | None = Field(
        default=None, description="Another Stripe API host (tests use a local stand-in)."
    )
    email_from: str = Field(
        default="Atelier <no-reply@atelier.local>", description="Sender of transactional email."
    )
    email_via_ses: bool = Field(default=False, description="Send through SES (else the outbox).")
    outbox_dir: str | None = Field(default=None, description="Local outbox folder for email.")
    public_base_url: str = Field(
        default="http://127.0.0.1:8000", description="Where signed local file URLs point."
    )

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        values = {
            name: env[f"ATELIER_{name.upper()}"]
            for name in cls.model_fields
            if f"ATELIER_{name.upper()}" in env
        }
        if "database_url" not in values and env.get("DATABASE_URL"):
            values["database_url"] = env["DATABASE_URL"]
        return cls.model_validate(values)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env()
