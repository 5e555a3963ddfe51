"""Alarms and a dashboard: dead letters, API server errors and latency, each alarm to one
encrypted SNS topic operators subscribe to."""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import Duration
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_rds as rds
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

P95_LATENCY_MS = 1000
# API Gateway's 5XXError averaged over requests is the share of requests that failed.
SERVER_ERROR_RATE = 0.05
# Aurora Serverless v2 near its maximum capacity: raise the maximum or look for a cause.
ACU_UTILIZATION_PERCENT = 90


class MonitoringConstruct(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage: str,
        api: apigw.RestApi,
        dead_letter_queues: Mapping[str, sqs.IQueue],
        cluster: rds.DatabaseCluster | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.topic = sns.Topic(
            self,
            "Alarms",
            display_name=f"Atelier {stage} alarms",
            master_key=kms.Alias.from_alias_name(self, "SnsKey", "alias/aws/sns"),
        )
        self.topic.add_to_resource_policy(
            iam.PolicyStatement(
                effect=iam.Effect.DENY,
                principals=[iam.AnyPrincipal()],
                actions=["sns:Publish"],
                resources=[self.topic.topic_arn],
                conditions={"Bool": {"aws:SecureTransport": "false"}},
            )
        )
        action = actions.SnsAction(self.topic)
        five_minutes = Duration.minutes(5)
        self.alarms: list[cloudwatch.Alarm] = []

        def alarm(
            name: str,
            metric: cloudwatch.IMetric,
            threshold: float,
            description: str,
            *,
            periods: tuple[int, int] = (1, 1),
        ) -> None:
            datapoints, evaluated = periods
            created = cloudwatch.Alarm(
                self,
                name,
                metric=metric,
                threshold=threshold,
                evaluation_periods=evaluated,
                datapoints_to_alarm=datapoints,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
                alarm_description=description,
            )
            created.add_alarm_action(action)
            self.alarms.append(created)

        alarm(
            "Api5xxRate",
            api.metric_server_error(period=five_minutes, statistic="Average"),
            SERVER_ERROR_RATE,
            f"More than {SERVER_ERROR_RATE:.0%} of API requests answered 5xx, in 2 of the "
            "last 3 five-minute periods",
            periods=(2, 3),  # one unlucky request at night is not an incident
        )
        alarm(
            "ApiLatencyP95",
            api.metric_latency(period=five_minutes, statistic="p95"),
            P95_LATENCY_MS,
            f"API p95 latency above {P95_LATENCY_MS} ms",
        )
        database_widgets: list[cloudwatch.IWidget] = []
        if cluster is not None:
            utilization = cluster.metric("ACUUtilization", period=five_minutes, statistic="Max")
            alarm(
                "AuroraCapacity",
                utilization,
                ACU_UTILIZATION_PERCENT,
                f"Aurora above {ACU_UTILIZATION_PERCENT}% of its maximum capacity",
            )
            database_widgets.append(
                cloudwatch.GraphWidget(
                    title="Aurora capacity (ACU) and utilization (%)",
                    left=[
                        cluster.metric_serverless_database_capacity(
                            period=five_minutes, statistic="Max"
                        )
                    ],
                    right=[utilization],
                )
            )
        depth_widgets = []
        for queue_name, dlq in dead_letter_queues.items():
            title = "".join(p.title() for p in queue_name.split("-"))
            depth = dlq.metric_approximate_number_of_messages_visible(
                period=five_minutes, statistic="Max"
            )
            alarm(f"{title}DeadLetters", depth, 1, f"Messages dead-lettered from {queue_name}")
            depth_widgets.append(depth)
        cloudwatch.Dashboard(
            self,
            "Dashboard",
            dashboard_name=f"atelier-{stage}",
            widgets=[
                [
                    cloudwatch.GraphWidget(
                        title="API requests and errors",
                        left=[
                            api.metric_count(period=five_minutes),
                            api.metric_server_error(period=five_minutes),
                            api.metric_client_error(period=five_minutes),
                        ],
                    ),
                    cloudwatch.GraphWidget(
                        title="API latency p95",
                        left=[api.metric_latency(period=five_minutes, statistic="p95")],
                    ),
                ],
                [cloudwatch.GraphWidget(title="Dead letters", left=depth_widgets)],
                database_widgets,
                [cloudwatch.AlarmStatusWidget(title="Alarms", alarms=self.alarms)],
            ],
        )
