"""The `migrate` function: schema deployment at every deploy, and operators' actions.

Invoked two ways:
- by CloudFormation, as the custom resource whose ServiceToken is the function itself:
  Create/Update migrate to head and set the application role's password; Delete keeps
  everything (the data outlives the stack's resource);
- by an operator, `aws lambda invoke --payload '{"action": ...}'`:
  `{"action": "migrate"}`,
  `{"action": "create-brand", "name": "…", "origins": ["https://shop.example"]}`,
  `{"action": "create-key", "brand": "<id or slug>", "kind": "publishable"|"secret",
  "name": "…"}` (the key's secret is in the result, once).
  A bad payload or a failed action answers `{"error": "…"}`, never a trace.

All of it runs as the owner role (`get_admin_engine`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from atelier.db.deploy import RoleCredentials, deploy_schema
from atelier.db.session import get_admin_engine, is_connection_error
from atelier.errors import AtelierError, ServiceUnavailable
from atelier.observability import logger
from atelier.sealing import seal_legacy_secrets
from atelier.settings import get_settings
from atelier.system import custom_resource

SCHEMA_RESOURCE_ID = "atelier-schema"
"""The custom resource's physical id: the same on every update (a new one means replace)."""

ORIGIN_PATTERN = r"^https?://[^/\s?#]+/?$"


def handle_invocation(event: Any, context: Any) -> dict[str, Any]:
    if custom_resource.is_request(event):
        return custom_resource.handle_request(
            event, context, _deploy_for_stack, physical_id=SCHEMA_RESOURCE_ID
        )
    return run_action(event)


def migrate() -> dict[str, Any]:
    """Migrate to head under the schema lock; set the application role's password when
    `ATELIER_APP_DATABASE_SECRET_ARN` names its secret."""
    settings = get_settings()
    app_role = None
    if settings.app_database_secret_arn:
        app_role = app_role_credentials(settings.app_database_secret_arn)
    engine = get_admin_engine()
    result = deploy_schema(engine, app_role=app_role)
    # Secrets stored in clear before sealing existed get sealed now (idempotent).
    sealed = seal_legacy_secrets(engine) if settings.data_key else 0
    return {"revision": result.revision, "appRole": result.app_role, "sealedSecrets": sealed}


def _deploy_for_stack(properties: Mapping[str, Any]) -> Mapping[str, Any]:
    # Properties only exist to make CloudFormation send an Update when migrations change.
    done = migrate()
    return {
        "Revision": done["revision"],
        "AppRole": done["appRole"],
        "SealedSecrets": done["sealedSecrets"],
    }


def app_role_credentials(arn: str) -> RoleCredentials:
    from atelier.adapters.secrets import read_json_secret

    secret = read_json_secret(arn)
    username, password = secret.get("username"), secret.get("password")
    if not isinstance(username, str) or not isinstance(password, str) or not password:
        raise ServiceUnavailable(f"The secret {arn} lacks a username and password.")
    return RoleCredentials(username=username, password=password)


# Operators' actions -----------------------------------------------------------------------


class _Action(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MigrateAction(_Action):
    action: Literal["migrate"]


class CreateBrandAction(_Action):
    action: Literal["create-brand"]
    name: str = Field(min_length=1, max_length=200)
    origins: list[Annotated[str, Field(pattern=ORIGIN_PATTERN)]] = Field(default_factory=list)


class CreateKeyAction(_Action):
    action: Literal["create-key"]
    brand: str = Field(min_length=1, description="Brand id or slug.")
    kind: Literal["publishable", "secret"] = "publishable"
    name: str = Field(default="operator", min_length=1, max_length=200)


Action = Annotated[
    MigrateAction | CreateBrandAction | CreateKeyAction, Field(discriminator="action")
]
ACTIONS = ("migrate", "create-brand", "create-key")
_ACTION = TypeAdapter[Action](Action)


def run_action(event: Any) -> dict[str, Any]:
    """One operator action; the result, or `{"error": …}`."""
    try:
        action = _ACTION.validate_python(event)
    except ValidationError as exc:
        return _invalid(event, exc)
    logger.info("operator action", extra={"action": action.action})
    try:
        return _run(action)
    except AtelierError as exc:
        return {"error": str(exc), "type": exc.type_uri}
    except Exception as exc:
        logger.exception("operator action failed", extra={"action": action.action})
        if is_connection_error(exc):
            return {"error": "The database is unavailable.", "type": ServiceUnavailable().type_uri}
        return {"error": custom_resource.failure_reason(exc, None)}


def _run(action: Action) -> dict[str, Any]:
    from atelier.tenancy.admin import create_api_key, create_brand

    if isinstance(action, MigrateAction):
        return migrate()
    if isinstance(action, CreateBrandAction):
        brand = create_brand(get_admin_engine(), name=action.name, origins=action.origins)
        return {"id": brand.id, "slug": brand.slug, "name": brand.name}
    key = create_api_key(get_admin_engine(), brand=action.brand, kind=action.kind, name=action.name)
    return {
        "id": key.id,
        "brandId": key.brand_id,
        "kind": key.kind.value,
        "secret": key.secret,
        "note": "Shown once: only its hash is stored.",
    }


def _invalid(event: Any, exc: ValidationError) -> dict[str, Any]:
    name = event.get("action") if isinstance(event, Mapping) else None
    if name not in ACTIONS:
        return {"error": f"Unknown action {name!r}.", "actions": list(ACTIONS)}
    return {
        "error": f"Invalid payload for {name!r}.",
        "errors": [
            {"field": ".".join(str(p) for p in e["loc"][1:] or e["loc"]), "message": e["msg"]}
            for e in exc.errors(include_url=False, include_input=False)
        ],
    }
