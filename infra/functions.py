"""One factory for every Lambda of the app, so each gets the same runtime, tracing, log
retention, environment and a role of its own (least privilege per function)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from aws_cdk import Acknowledgment, CfnResource, Duration, Names, Stack, Validations
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from atelier.routes import Layer
from infra.database_construct import APP_USER, OWNER_USER, DatabaseConstruct
from infra.layers_construct import RUNTIME, LayersConstruct
from infra.reach import reaches_module, uses_storage

# Lambda manages the network interfaces of VPC functions through the function's role;
# these actions have no resource-level permissions.
ENI_ACTIONS = [
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
]


@dataclass(frozen=True)
class Platform:
    """What functions run in and may reach besides their own queues: the VPC and the
    database through RDS Proxy, the object bucket, the deployment's secret."""

    database: DatabaseConstruct | None = None
    bucket: s3.IBucket | None = None
    secret: secretsmanager.ISecret | None = None
    data_key: secretsmanager.ISecret | None = None
    """The key that seals stored signing secrets (for code that reaches `atelier.sealing`)."""


class FunctionFactory:
    def __init__(
        self,
        scope: Construct,
        *,
        code: lambda_.Code,
        layers: LayersConstruct,
        environment: Mapping[str, str],
        platform: Platform | None = None,
    ) -> None:
        self.scope = scope
        self.code = code
        self.layers = layers
        self.platform = platform or Platform()
        self.environment = dict(environment)
        self.log_group = logs.LogGroup(
            scope, "FunctionLogs", retention=logs.RetentionDays.ONE_MONTH
        )
        logical_id = Stack.of(scope).get_logical_id(
            self.log_group.node.default_child  # type: ignore[arg-type]
        )
        Validations.of(scope).acknowledge(
            Acknowledgment(
                id=f"AwsSolutions-IAM5[Resource::<{logical_id}.Arn>:*]",
                reason="Functions write log streams Lambda creates at run time in the one "
                "shared log group: the stream names are not known in advance.",
            )
        )
        if self.platform.bucket is not None:
            arn = _arn_reference(scope, self.platform.bucket.node.default_child)
            Validations.of(scope).acknowledge(
                Acknowledgment(
                    id=f"AwsSolutions-IAM5[Resource::{arn}/*]",
                    reason="Object keys are content-addressed (a digest of the bytes), so "
                    "they are only known at run time; the bucket is the boundary.",
                )
            )

    def create(
        self,
        construct_id: str,
        *,
        handler_module: str,
        memory_mb: int,
        timeout_s: int,
        layers: tuple[Layer, ...],
        description: str,
        secrets: bool = False,
        admin: bool = False,
        environment: Mapping[str, str] | None = None,
    ) -> lambda_.Function:
        """A function with its own role. `secrets`: may read the deployment's secret;
        `admin`: connects to the database as its owner (maintenance), not the app role."""
        platform = self.platform
        statements = [
            iam.PolicyStatement(
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[f"{self.log_group.log_group_arn}:*"],
            ),
            iam.PolicyStatement(
                actions=["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                resources=["*"],  # X-Ray has no resource-level permissions
            ),
        ]
        env = {**self.environment, **(environment or {})}
        network: dict[str, object] = {}
        if platform.database is not None:
            database = platform.database
            statements.append(iam.PolicyStatement(actions=ENI_ACTIONS, resources=["*"]))
            # Maintenance functions connect as the owner only; everything else as the
            # application role, which row-level security holds to one brand.
            statements.append(database.connect_statement(OWNER_USER if admin else APP_USER))
            env.update(database.environment(admin=admin))
            network = {
                "vpc": database.vpc,
                "vpc_subnets": database.subnets,
                # One shared group: a group per function would cost a resource each.
                "security_groups": [database.functions_security_group],
            }
        if platform.bucket is not None and uses_storage(handler_module):
            statements += self._bucket_statements(platform.bucket)
            env["ATELIER_STORAGE_BUCKET"] = platform.bucket.bucket_name
        readable = []
        if secrets and platform.secret is not None:
            readable.append(platform.secret.secret_arn)
        if platform.data_key is not None and reaches_module(handler_module, "atelier.sealing"):
            readable.append(platform.data_key.secret_arn)
        if readable:
            statements.append(
                iam.PolicyStatement(actions=["secretsmanager:GetSecretValue"], resources=readable)
            )
            env["ATELIER_SECRETS_ARN"] = ",".join(readable)
        # One log group for every function and policies inline in each role: a function
        # costs two CloudFormation resources instead of four (500 per stack).
        role = iam.Role(
            self.scope,
            f"{construct_id}Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"Runs {handler_module}",
            inline_policies={"runtime": iam.PolicyDocument(statements=statements)},
        )
        return lambda_.Function(
            self.scope,
            construct_id,
            runtime=RUNTIME,
            handler=f"{handler_module}.handler",
            code=self.code,
            memory_size=memory_mb,
            timeout=Duration.seconds(timeout_s),
            layers=self.layers.for_function(layers),
            environment={**env, "POWERTOOLS_SERVICE_NAME": construct_id},
            tracing=lambda_.Tracing.ACTIVE,
            log_group=self.log_group,
            role=role,
            description=description,
            **network,  # type: ignore[arg-type]
        )

    @staticmethod
    def _bucket_statements(bucket: s3.IBucket) -> Sequence[iam.PolicyStatement]:
        return [
            iam.PolicyStatement(
                actions=["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                resources=[bucket.arn_for_objects("*")],
            ),
            iam.PolicyStatement(actions=["s3:ListBucket"], resources=[bucket.bucket_arn]),
        ]


def _arn_reference(scope: Construct, resource: object) -> str:
    """How cdk-nag names a resource's ARN seen from `scope`: `<LogicalId.Arn>` in its own
    stack, `<referencetoUniqueIdArn>` (a nested stack's parameter) from another."""
    assert isinstance(resource, CfnResource)
    if Stack.of(resource) is Stack.of(scope):
        return f"<{Stack.of(scope).get_logical_id(resource)}.Arn>"
    return f"<referenceto{Names.unique_id(resource)}Arn>"


def connect_queues(
    fn: lambda_.Function, sends_to: Sequence[str], queues: Mapping[str, sqs.IQueue]
) -> None:
    """The queues a function sends to: their URLs as `ATELIER_QUEUE_URLS`, and the right to
    send to exactly those."""
    if not sends_to:
        return
    urls = {name: queues[name].queue_url for name in sends_to}
    fn.add_environment("ATELIER_QUEUE_URLS", Stack.of(fn).to_json_string(urls))
    for name in sends_to:
        queues[name].grant_send_messages(fn)
