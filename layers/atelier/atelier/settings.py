"""Runtime settings, validated once per execution environment (never at import time)."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from atelier.errors import ServiceUnavailable


class Settings(BaseModel):
    stage: str = Field(default="local", description="Deployment stage: local, dev, prod…")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL (postgresql+pg8000://…) used by the API."
    )
    admin_database_url: str | None = Field(
        default=None, description="The owner's URL: migrations and cross-tenant maintenance."
    )
    database_host: str | None = Field(
        default=None,
        description="RDS Proxy endpoint (AWS); used when no database URL is set.",
    )
    database_port: int = Field(default=5432, description="Port of `database_host`.")
    database_name: str = "atelier"
    database_user: str = Field(
        default="atelier_app", description="Role the API and workers log in as at the proxy."
    )
    database_iam_auth: bool = Field(
        default=False,
        description="Log in to `database_host` with IAM auth tokens (the only way in Lambda).",
    )
    admin_database_user: str | None = Field(
        default=None,
        description="The owner role at `database_host` (migrations, cross-tenant maintenance).",
    )
    app_database_secret_arn: str | None = Field(
        default=None,
        description="Secret {username, password} of the application role; the deploy-time "
        "migration sets the role's password from it (RDS Proxy logs in with it).",
    )
    secrets_arn: str | None = Field(
        default=None,
        description="Secrets Manager JSON secrets (comma-separated ARNs) whose keys are "
        "setting names; they fill the settings no environment variable sets.",
    )
    data_key: str | None = Field(
        default=None,
        description="Random key (32+ characters) that seals stored signing secrets "
        "(`atelier.sealing`); generated at first run locally, a Secrets Manager secret in AWS.",
    )
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
    console_origins: str | None = Field(
        default=None,
        description="Comma-separated origins of the brand console: CORS for every route, "
        "Authorization included (AWS: the stack's ConsoleOrigins parameter).",
    )
    public_assets_url: str | None = Field(
        default=None,
        description="The CDN (CloudFront) serving content-addressed renders and product "
        "images; their URLs point there instead of being presigned (AWS).",
    )
    public_base_url: str = Field(
        default="http://127.0.0.1:8000", description="Where signed local file URLs point."
    )

    @classmethod
    def from_env(
        cls,
        env: Mapping[str, str] | None = None,
        *,
        read_secret: Callable[[str], Mapping[str, Any]] | None = None,
    ) -> Settings:
        """Settings from `ATELIER_<FIELD>` variables, then from the `secrets_arn` secret.

        Environment variables win over the secret; secret keys that name no setting are
        ignored. Errors name the settings at fault, never their values.
        """
        env = dict(os.environ if env is None else env)
        values: dict[str, Any] = {
            name: env[f"ATELIER_{name.upper()}"]
            for name in cls.model_fields
            if f"ATELIER_{name.upper()}" in env
        }
        if "database_url" not in values and env.get("DATABASE_URL"):
            values["database_url"] = env["DATABASE_URL"]
        arn = values.get("secrets_arn")
        if arn:
            if read_secret is None:
                from atelier.adapters.secrets import read_json_secret

                read_secret = read_json_secret
            for one in (a.strip() for a in str(arn).split(",")):
                for name, value in read_secret(one).items() if one else ():
                    if name in cls.model_fields and name not in values and name != "secrets_arn":
                        values[name] = value
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            fields = sorted({".".join(str(p) for p in e["loc"]) for e in exc.errors()})
            raise ServiceUnavailable(
                f"Invalid settings: {', '.join(fields)} (values withheld)."
            ) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Read once per execution environment (the secret too); `bootstrap.reset()` forgets."""
    return Settings.from_env()
