"""The Atelier stack: composes the constructs; every function comes from the route table."""

from __future__ import annotations

from aws_cdk import Acknowledgment, Stack, Validations
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from atelier import routes
from atelier.routes import Auth, Route, Worker
from infra import assets
from infra.api_construct import ApiConstruct
from infra.functions import FunctionFactory
from infra.layers_construct import LayersConstruct
from infra.schedules_construct import SchedulesConstruct
from infra.workers_construct import WorkersConstruct


class AtelierStack(Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage: str,
        bundle: bool = True,
        table: tuple[Route, ...] = routes.ROUTES,
        workers: tuple[Worker, ...] = routes.WORKERS,
        authorizers: dict[Auth, str] = routes.AUTHORIZERS,
        **kwargs: object,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)  # type: ignore[arg-type]
        self.layers = LayersConstruct(self, "Layers", bundle=bundle)
        factory = FunctionFactory(
            self,
            code=lambda_.Code.from_asset(str(assets.functions_code())),
            layers=self.layers,
            environment={
                "ATELIER_STAGE": stage,
                "POWERTOOLS_METRICS_NAMESPACE": "Atelier",
                "POWERTOOLS_LOG_LEVEL": "INFO",
            },
        )
        # Workers first: API functions that enqueue get their queues' URLs and send rights.
        self.workers = WorkersConstruct(self, "Workers", functions=factory, workers=workers)
        self.api = ApiConstruct(
            self,
            "Api",
            stage=stage,
            functions=factory,
            table=table,
            authorizers=authorizers,
            queues=self.workers.queues,
        )
        self.schedules = SchedulesConstruct(self, "Schedules", functions=factory)
        Validations.of(self).acknowledge(
            Acknowledgment(
                id="AwsSolutions-IAM5[Resource::*]",
                reason="Only X-Ray trace publishing uses '*' (it has no resource-level "
                "permissions).",
            ),
            Acknowledgment(
                id="AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/"
                "service-role/AmazonAPIGatewayPushToCloudWatchLogs]",
                reason="API Gateway's account-level CloudWatch role uses the AWS managed "
                "AmazonAPIGatewayPushToCloudWatchLogs policy, the documented setup.",
            ),
        )
