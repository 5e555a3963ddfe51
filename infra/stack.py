"""The Atelier stack: composes the constructs; every function comes from the route table."""

from __future__ import annotations

from aws_cdk import Acknowledgment, NestedStack, Stack, Validations
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from atelier import routes
from atelier.routes import Auth, Route, Worker
from infra import assets
from infra.api_construct import ApiConstruct
from infra.functions import FunctionFactory
from infra.layers_construct import LayersConstruct
from infra.monitoring_construct import MonitoringConstruct
from infra.schedules_construct import SchedulesConstruct
from infra.workers_construct import WorkersConstruct


class _Part(NestedStack):
    """A nested stack: CloudFormation allows 500 resources per stack, and the API alone
    would come close, so the app is split by area."""


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
        code_dir = str(assets.functions_code())
        environment = {
            "ATELIER_STAGE": stage,
            "POWERTOOLS_METRICS_NAMESPACE": "Atelier",
            "POWERTOOLS_LOG_LEVEL": "INFO",
        }

        def factory(part: Construct) -> FunctionFactory:
            # A Code asset belongs to one stack: each part gets its own (same folder).
            code = lambda_.Code.from_asset(code_dir)
            return FunctionFactory(part, code=code, layers=self.layers, environment=environment)

        # Workers first: API functions that enqueue get their queues' URLs and send rights.
        self.jobs = _Part(self, "Jobs")
        jobs = factory(self.jobs)
        self.workers = WorkersConstruct(self.jobs, "Workers", functions=jobs, workers=workers)
        self.schedules = SchedulesConstruct(self.jobs, "Schedules", functions=jobs)
        self.api_stack = _Part(self, "ApiStack")
        self.api = ApiConstruct(
            self.api_stack,
            "Api",
            stage=stage,
            functions=factory(self.api_stack),
            table=table,
            authorizers=authorizers,
            queues=self.workers.queues,
        )
        self.monitoring = MonitoringConstruct(
            self,
            "Monitoring",
            stage=stage,
            api=self.api.api,
            dead_letter_queues=self.workers.dead_letter_queues,
        )
        for part in (self, self.jobs, self.api_stack):
            self._acknowledge(part)

    @staticmethod
    def _acknowledge(part: Construct) -> None:
        Validations.of(part).acknowledge(
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
