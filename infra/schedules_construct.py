"""Scheduled functions (cleanup…): one Lambda and one EventBridge rule per entry."""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from atelier import routes
from atelier.routes import Scheduled
from infra.functions import FunctionFactory, connect_queues


class SchedulesConstruct(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        functions: FunctionFactory,
        schedules: tuple[Scheduled, ...] = routes.SCHEDULES,
        queues: Mapping[str, sqs.IQueue] | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.functions: dict[str, lambda_.Function] = {}
        for entry in schedules:
            name = "".join(p.title() for p in entry.name.split("-"))
            fn = functions.create(
                f"{name}Scheduled",
                handler_module=entry.handler,
                memory_mb=entry.memory_mb,
                timeout_s=entry.timeout_s,
                layers=entry.layers,
                description=f"Scheduled {entry.name}, every {entry.every_minutes} min",
                admin=entry.owner,
            )
            events.Rule(
                self,
                f"{name}Rule",
                schedule=events.Schedule.rate(Duration.minutes(entry.every_minutes)),
                targets=[targets.LambdaFunction(fn)],
            )
            connect_queues(fn, entry.sends_to, queues or {})
            self.functions[entry.name] = fn
