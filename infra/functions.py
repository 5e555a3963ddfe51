"""One factory for every Lambda of the app, so each gets the same runtime, tracing, log
retention, environment and a role of its own (least privilege per function)."""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import Acknowledgment, Duration, Stack, Validations
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from atelier.routes import Layer
from infra.layers_construct import RUNTIME, LayersConstruct

LOG_POLICY = "Writes its own log group only."


class FunctionFactory:
    def __init__(
        self,
        scope: Construct,
        *,
        code: lambda_.Code,
        layers: LayersConstruct,
        environment: Mapping[str, str],
    ) -> None:
        self.scope = scope
        self.code = code
        self.layers = layers
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

    def create(
        self,
        construct_id: str,
        *,
        handler_module: str,
        memory_mb: int,
        timeout_s: int,
        layers: tuple[Layer, ...],
        description: str,
    ) -> lambda_.Function:
        # One log group for every function and policies inline in each role: a function
        # costs two CloudFormation resources instead of four (500 per stack).
        role = iam.Role(
            self.scope,
            f"{construct_id}Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"Runs {handler_module}",
            inline_policies={
                "logs-and-traces": iam.PolicyDocument(
                    statements=[
                        iam.PolicyStatement(
                            actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                            resources=[f"{self.log_group.log_group_arn}:*"],
                        ),
                        iam.PolicyStatement(
                            actions=["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                            resources=["*"],  # X-Ray has no resource-level permissions
                        ),
                    ]
                )
            },
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
            environment={**self.environment, "POWERTOOLS_SERVICE_NAME": construct_id},
            tracing=lambda_.Tracing.ACTIVE,
            log_group=self.log_group,
            role=role,
            description=description,
        )
