"""The Atelier stack: composes the constructs; every function comes from the route table.

The root stack holds what everything shares (layers, buckets and CDN, user pool and mail
identity, the Stripe secret and the data key, alarms); nested stacks hold the areas: `Data`
(network, Aurora, RDS Proxy, migrations), `Jobs` (queues, workers, schedules),
`ApiFunctions` (the API's Lambdas) and `ApiStack` (the REST API). The last three depend on
the migrations, so CloudFormation migrates the schema before any function's code changes.
"""

from __future__ import annotations

from aws_cdk import (
    Acknowledgment,
    CfnCondition,
    CfnOutput,
    CfnParameter,
    Fn,
    NestedStack,
    RemovalPolicy,
    Stack,
    Validations,
)
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sns as sns
from constructs import Construct

from atelier import routes
from atelier.routes import Auth, Route, Scheduled, Worker
from infra import assets
from infra.api_construct import ApiConstruct
from infra.database_construct import DatabaseConstruct
from infra.domains import Domains
from infra.functions import FunctionFactory, Platform
from infra.identity_construct import IdentityConstruct
from infra.layers_construct import LayersConstruct
from infra.migrations_construct import MigrationsConstruct
from infra.monitoring_construct import MonitoringConstruct
from infra.schedules_construct import SchedulesConstruct
from infra.storage_construct import StorageConstruct
from infra.workers_construct import WorkersConstruct

# Keys of the deployment's secret: operators fill them after the first deploy.
SECRET_KEYS = ("stripe_secret_key", "stripe_webhook_secret")


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
        schedules: tuple[Scheduled, ...] = routes.SCHEDULES,
        authorizers: dict[Auth, str] = routes.AUTHORIZERS,
        domains: Domains | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)  # type: ignore[arg-type]
        domains = domains or Domains()
        self.parameters = _Parameters(self)
        self.layers = LayersConstruct(self, "Layers", bundle=bundle)
        self.storage = StorageConstruct(
            self, "Storage", stage=stage, bundle=bundle, domain=domains.cdn
        )
        self.identity = IdentityConstruct(
            self,
            "Identity",
            stage=stage,
            console_urls=Fn.split(",", self.parameters.console_origins.value_as_string),
            email_domain=self.parameters.email_domain.value_as_string,
        )
        self.secret = secretsmanager.Secret(
            self,
            "Secrets",
            description=f"Atelier {stage}: third-party keys ({', '.join(SECRET_KEYS)})",
            # Empty values, filled by operators: nothing secret is ever in the template.
            secret_object_value={},
        )
        Validations.of(self.secret).acknowledge(
            Acknowledgment(
                id="AwsSolutions-SMG4",
                reason="Stripe keys are rolled in Stripe's dashboard, then put here; "
                "Secrets Manager cannot rotate them itself.",
            )
        )
        # The key sealing stored signing secrets (atelier.sealing). Kept even when the stack
        # goes: without it, sealed values in the database (or a snapshot) never open again.
        self.data_key = secretsmanager.Secret(
            self,
            "DataKey",
            description=f"Atelier {stage}: the key that seals stored signing secrets",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                secret_string_template="{}",  # noqa: S106 - an empty JSON object
                generate_string_key="data_key",
                password_length=64,
                exclude_punctuation=True,
            ),
            removal_policy=RemovalPolicy.RETAIN,
        )
        Validations.of(self.data_key).acknowledge(
            Acknowledgment(
                id="AwsSolutions-SMG4",
                reason="Rotating the data key would leave every value sealed under the old "
                "one unreadable; re-sealing on rotation is not built.",
            )
        )
        code_dir = str(assets.functions_code())
        environment = {
            "ATELIER_STAGE": stage,
            "ATELIER_PUBLIC_ASSETS_URL": self.storage.public_url,
            "POWERTOOLS_METRICS_NAMESPACE": "Atelier",
            "POWERTOOLS_LOG_LEVEL": "INFO",
            **self.identity.environment(),
            "ATELIER_CONSOLE_ORIGINS": self.parameters.console_origins.value_as_string,
        }

        def factory(part: Construct, platform: Platform) -> FunctionFactory:
            # A Code asset belongs to one stack: each part gets its own (same folder).
            code = lambda_.Code.from_asset(code_dir)
            return FunctionFactory(
                part, code=code, layers=self.layers, environment=environment, platform=platform
            )

        self.data = _Part(self, "Data")
        self.database = DatabaseConstruct(self.data, "Database", stage=stage)
        self.migrations = MigrationsConstruct(
            self.data,
            "Migrations",
            functions=factory(self.data, Platform(database=self.database, data_key=self.data_key)),
            database=self.database,
        )
        platform = Platform(
            database=self.database,
            bucket=self.storage.objects,
            secret=self.secret,
            data_key=self.data_key,
        )
        # Workers first: API functions that enqueue get their queues' URLs and send rights.
        self.jobs = _Part(self, "Jobs")
        jobs = factory(self.jobs, platform)
        self.workers = WorkersConstruct(self.jobs, "Workers", functions=jobs, workers=workers)
        self.schedules = SchedulesConstruct(
            self.jobs,
            "Schedules",
            functions=jobs,
            schedules=schedules,
            queues=self.workers.queues,
        )
        self._send_mail_from("email")
        # The API's functions and the API itself in two parts: together they would come
        # close to CloudFormation's 500 resources per stack.
        self.api_functions = _Part(self, "ApiFunctions")
        self.api_stack = _Part(self, "ApiStack")
        self.api = ApiConstruct(
            self.api_stack,
            "Api",
            stage=stage,
            functions=factory(self.api_functions, platform),
            table=table,
            authorizers=authorizers,
            queues=self.workers.queues,
            domain=domains.api,
        )
        for dependent in (self.jobs, self.api_functions, self.api_stack):
            dependent.node.add_dependency(self.migrations.resource)
        self.monitoring = MonitoringConstruct(
            self,
            "Monitoring",
            stage=stage,
            api=self.api.api,
            dead_letter_queues=self.workers.dead_letter_queues,
            cluster=self.database.cluster,
        )
        subscription = sns.CfnSubscription(
            self,
            "AlarmMail",
            topic_arn=self.monitoring.topic.topic_arn,
            protocol="email",
            endpoint=self.parameters.alarm_email.value_as_string,
        )
        subscription.cfn_options.condition = self.parameters.has_alarm_email
        self._outputs()
        parts: tuple[Construct, ...] = (
            self,
            self.data,
            self.jobs,
            self.api_functions,
            self.api_stack,
        )
        for part in parts:
            self._acknowledge(part)
        self._acknowledge_widget_deployment()

    def _acknowledge_widget_deployment(self) -> None:
        """CDK's own bucket-deployment handler (copies the widget build to its bucket)."""
        widget = self.get_logical_id(self.storage.widget.node.default_child)  # type: ignore[arg-type]
        reason = "CDK's BucketDeployment handler, as shipped: it copies the widget from the "
        Validations.of(self).acknowledge(
            Acknowledgment(
                id="AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/"
                "service-role/AWSLambdaBasicExecutionRole]",
                reason=reason + "CDK assets bucket and logs with the basic execution role.",
            ),
            Acknowledgment(
                id="AwsSolutions-L1",
                reason=reason + "assets bucket; its runtime is pinned by aws-cdk-lib.",
            ),
            *(
                Acknowledgment(id=f"AwsSolutions-IAM5[{finding}]", reason=reason + why)
                for finding, why in (
                    ("Action::s3:GetObject*", "assets bucket (read)."),
                    ("Action::s3:GetBucket*", "assets bucket (read)."),
                    ("Action::s3:List*", "assets bucket and lists the widget bucket."),
                    ("Action::s3:Abort*", "assets bucket into the widget bucket (write)."),
                    ("Action::s3:DeleteObject*", "assets bucket into the widget bucket."),
                    (f"Resource::<{widget}.Arn>/*", "assets bucket into the widget bucket."),
                    (
                        "Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-"
                        "<AWS::AccountId>-<AWS::Region>/*",
                        "CDK bootstrap assets bucket.",
                    ),
                )
            ),
        )

    def _send_mail_from(self, queue: str) -> None:
        """The email worker sends through SES, from the stack's mail domain only."""
        fn = self.workers.functions.get(queue)
        if fn is None:
            return
        fn.add_environment("ATELIER_EMAIL_VIA_SES", "true")
        fn.add_environment("ATELIER_EMAIL_FROM", self.identity.email_from)
        fn.add_to_role_policy(self.identity.send_email_statement())

    def _outputs(self) -> None:
        outputs = {
            "ApiUrl": self.api.url,
            "CdnUrl": self.storage.public_url,
            "WidgetUrl": f"{self.storage.public_url}/widget/atelier-widget.js",
            "UserPoolId": self.identity.user_pool.user_pool_id,
            "UserPoolClientId": self.identity.client.user_pool_client_id,
            "SecretsArn": self.secret.secret_arn,
            "MigrateFunction": self.migrations.function.function_name,
            "AlarmTopicArn": self.monitoring.topic.topic_arn,
        }
        if self.api.domain is not None:
            outputs["ApiDomainTarget"] = self.api.domain.domain_name_alias_domain_name
        if self.storage.custom_domain:
            outputs["CdnDomainTarget"] = self.storage.distribution.distribution_domain_name
        for name, value in outputs.items():
            CfnOutput(self, name, value=value)

    @staticmethod
    def _acknowledge(part: Construct) -> None:
        Validations.of(part).acknowledge(
            Acknowledgment(
                id="AwsSolutions-IAM5[Resource::*]",
                reason="Only X-Ray trace publishing and Lambda's VPC network interfaces use "
                "'*' (neither has resource-level permissions).",
            ),
            Acknowledgment(
                id="AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/"
                "service-role/AmazonAPIGatewayPushToCloudWatchLogs]",
                reason="API Gateway's account-level CloudWatch role uses the AWS managed "
                "AmazonAPIGatewayPushToCloudWatchLogs policy, the documented setup.",
            ),
        )


class _Parameters:
    """Deploy-time parameters (`cdk deploy --parameters Name=value`): nothing secret."""

    def __init__(self, stack: Stack) -> None:
        self.email_domain = CfnParameter(
            stack,
            "EmailDomain",
            type="String",
            description="Domain transactional email is sent from (verified in SES by DNS).",
            allowed_pattern=r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$",
        )
        self.console_origins = CfnParameter(
            stack,
            "ConsoleOrigins",
            # A comma-separated String, not a CommaDelimitedList: nested stacks receive
            # parameters as strings, and functions read it as one variable anyway.
            type="String",
            allowed_pattern=r"^https?://[^,\s/]+(,https?://[^,\s/]+)*$",
            description="Origins of the brand console: allowed to call every route (CORS) "
            "and where Cognito may send users back to.",
            default="https://localhost:5173",
        )
        self.alarm_email = CfnParameter(
            stack,
            "AlarmEmail",
            type="String",
            default="",
            description="Who receives alarm notifications (empty: subscribe later).",
        )
        self.has_alarm_email = CfnCondition(
            stack,
            "HasAlarmEmail",
            expression=Fn.condition_not(Fn.condition_equals(self.alarm_email.value_as_string, "")),
        )
