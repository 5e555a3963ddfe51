"""Queue workers: per Worker of the route table, an encrypted SQS queue with its DLQ and
the SQS-triggered Lambda that reports partial batch failures."""

from __future__ import annotations

from aws_cdk import Acknowledgment, Duration, Validations
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from atelier import routes
from atelier.routes import Worker
from infra.functions import FunctionFactory, connect_queues


class WorkersConstruct(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        functions: FunctionFactory,
        workers: tuple[Worker, ...] = routes.WORKERS,
    ) -> None:
        super().__init__(scope, construct_id)
        self.queues: dict[str, sqs.Queue] = {}
        self.dead_letter_queues: dict[str, sqs.Queue] = {}
        self.functions: dict[str, lambda_.Function] = {}
        for worker in workers:
            name = "".join(p.title() for p in worker.queue.split("-"))
            dlq = sqs.Queue(
                self,
                f"{name}Dlq",
                encryption=sqs.QueueEncryption.SQS_MANAGED,
                enforce_ssl=True,
                retention_period=Duration.days(14),
            )
            Validations.of(dlq).acknowledge(
                Acknowledgment(id="AwsSolutions-SQS3", reason="This queue is a dead-letter queue.")
            )
            queue = sqs.Queue(
                self,
                f"{name}Queue",
                encryption=sqs.QueueEncryption.SQS_MANAGED,
                enforce_ssl=True,
                visibility_timeout=Duration.seconds(worker.visibility_timeout_s),
                dead_letter_queue=sqs.DeadLetterQueue(
                    queue=dlq, max_receive_count=worker.max_receive_count
                ),
            )
            fn = functions.create(
                f"{name}Worker",
                handler_module=worker.handler,
                memory_mb=worker.memory_mb,
                timeout_s=worker.timeout_s,
                layers=worker.layers,
                description=f"Worker for the {worker.queue} queue",
            )
            fn.add_event_source(
                sources.SqsEventSource(
                    queue,
                    batch_size=worker.batch_size,
                    max_concurrency=worker.max_concurrency,
                    report_batch_item_failures=True,
                )
            )
            self.queues[worker.queue] = queue
            self.dead_letter_queues[worker.queue] = dlq
            self.functions[worker.queue] = fn
        # Workers that queue follow-up work (e.g. emails) get those queues' URLs and rights.
        for worker in workers:
            connect_queues(self.functions[worker.queue], worker.sends_to, self.queues)
