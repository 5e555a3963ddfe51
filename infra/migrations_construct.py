"""Schema migrations on deploy: a custom resource whose handler is our own migration
function (Alembic `upgrade head` as the owner, then the application role's password).

The resource's `SchemaHash` property is a digest of the migration scripts, so
CloudFormation calls the function again exactly when they change; the API and job stacks
depend on this resource, so new code never runs against an old schema.
"""

from __future__ import annotations

import hashlib

from aws_cdk import CustomResource
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from atelier.routes import Layer
from infra import assets
from infra.database_construct import DatabaseConstruct
from infra.functions import FunctionFactory

HANDLER = "functions.system.migrate"
MIGRATIONS = assets.ROOT / "layers" / "atelier" / "atelier" / "db" / "migrations"


def schema_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted(MIGRATIONS.rglob("*.py")):
        digest.update(path.relative_to(MIGRATIONS).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


class MigrationsConstruct(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        functions: FunctionFactory,
        database: DatabaseConstruct,
    ) -> None:
        super().__init__(scope, construct_id)
        self.function: lambda_.Function = functions.create(
            "Migrate",
            handler_module=HANDLER,
            memory_mb=512,
            timeout_s=600,
            layers=(Layer.API,),
            description="Schema migrations (deploy) and operator actions (invoke)",
            admin=True,
            environment={"ATELIER_APP_DATABASE_SECRET_ARN": database.app_secret.secret_arn},
        )
        self.function.add_to_role_policy(
            iam.PolicyStatement(
                actions=["secretsmanager:GetSecretValue"],
                resources=[database.app_secret.secret_arn],
            )
        )
        self.resource = CustomResource(
            self,
            "Schema",
            service_token=self.function.function_arn,
            resource_type="Custom::AtelierSchema",
            properties={"SchemaHash": schema_hash()},
        )
        # The writer must be up (and the proxy registered) before the first migration.
        self.resource.node.add_dependency(database.cluster)
        self.resource.node.add_dependency(database.proxy)
