"""The synthesized stack matches the route table, passes cdk-nag and cfn-lint."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_events as events
from aws_cdk import aws_sqs as sqs
from aws_cdk.assertions import Match, Template
from cdk_nag import AwsSolutionsChecks

from app import FEATURE_FLAGS
from atelier import routes
from atelier.routes import Auth, Layer, Route, Worker
from infra.stack import AtelierStack

pytestmark = [pytest.mark.infra, pytest.mark.slow]


def resources(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def method_paths(template: dict[str, Any]) -> set[tuple[str, str]]:
    """(HTTP method, path) of every API method, rebuilt from the resource tree."""
    api_resources = resources(template, "AWS::ApiGateway::Resource")

    def path_of(ref: Any) -> str:
        if isinstance(ref, dict) and "Ref" in ref and ref["Ref"] in api_resources:
            props = api_resources[ref["Ref"]]["Properties"]
            return path_of(props["ParentId"]) + "/" + props["PathPart"]
        return ""  # the API's root resource

    return {
        (m["Properties"]["HttpMethod"], path_of(m["Properties"]["ResourceId"]))
        for m in resources(template, "AWS::ApiGateway::Method").values()
    }


def our_functions(template: dict[str, Any]) -> list[dict[str, Any]]:
    """The app's own functions (not CDK's helpers: bucket deployment, auto-delete)."""
    return [
        f["Properties"]
        for f in resources(template, "AWS::Lambda::Function").values()
        if str(f["Properties"].get("Handler", "")).startswith("functions.")
    ]


def route_functions(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["Description"]: f for f in our_functions(template)}


def test_every_route_is_one_method_and_nothing_else(template: dict[str, Any]):
    assert method_paths(template) == {(r.method, r.path) for r in routes.ROUTES}


def test_one_function_per_route_with_its_memory_and_timeout(template: dict[str, Any]):
    functions = route_functions(template)
    used_auth = {r.auth for r in routes.ROUTES} & set(routes.AUTHORIZERS)
    handlers = {r.handler for r in routes.ROUTES}
    assert len(our_functions(template)) == (
        len(handlers) + len(used_auth) + len(routes.WORKERS) + len(routes.SCHEDULES) + 1
    )  # + the migration function
    for route in routes.ROUTES:
        if route.handler == routes.PREFLIGHT_HANDLER:
            continue
        props = functions[f"{route.method} {route.path}"]
        assert props["Handler"] == f"{route.handler}.handler"
        assert props["MemorySize"] == route.memory_mb
        assert props["Timeout"] == route.timeout_s
        assert props["TracingConfig"] == {"Mode": "Active"}
        assert len(props["Layers"]) == len(route.layers) + 1  # + the domain layer


def test_every_function_has_its_own_role(template: dict[str, Any]):
    roles = [f["Role"] for f in our_functions(template)]
    assert len({json.dumps(r, sort_keys=True) for r in roles}) == len(roles)


def test_gateway_errors_are_problem_details(template: dict[str, Any]):
    Template.from_json(template, skip_cyclical_dependencies_check=True).has_resource_properties(
        "AWS::ApiGateway::GatewayResponse",
        {
            "ResponseType": "MISSING_AUTHENTICATION_TOKEN",
            "StatusCode": "404",
            "ResponseParameters": {
                "gatewayresponse.header.Content-Type": "'application/problem+json'"
            },
        },
    )


def test_waf_protects_the_stage(template: dict[str, Any]):
    [acl] = resources(template, "AWS::WAFv2::WebACL").values()
    names = {rule["Name"] for rule in acl["Properties"]["Rules"]}
    assert names == {"RatePerIp", "CommonRuleSet"}
    assert resources(template, "AWS::WAFv2::WebACLAssociation")


SYNTHETIC_ROUTES = (
    Route("GET", "/api/v1/health", "functions.system.health", Auth.PUBLIC),
    Route("POST", "/api/v1/things", "functions.things.create", Auth.WIDGET, 512, 15),
    Route("GET", "/api/v1/things/{thingId}", "functions.things.get", Auth.WIDGET),
    Route("DELETE", "/api/v1/things/{thingId}", "functions.things.delete", Auth.BRAND),
)
SYNTHETIC_WORKERS = (
    Worker("render-preview", "functions.workers.render_preview", timeout_s=30, batch_size=4),
)


@pytest.fixture(scope="module")
def synthetic_stack() -> AtelierStack:
    app = cdk.App(context={**FEATURE_FLAGS, "bundle": "false"})
    stack = AtelierStack(
        app,
        "Synthetic",
        stage="t",
        bundle=False,
        table=SYNTHETIC_ROUTES,
        workers=SYNTHETIC_WORKERS,
        schedules=(),
    )
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    app.synth()  # raises on any unacknowledged cdk-nag finding
    return stack


@pytest.fixture(scope="module")
def synthetic(synthetic_stack: AtelierStack) -> Template:
    """The API part of the synthetic app."""
    return Template.from_stack(synthetic_stack.api_stack)


@pytest.fixture(scope="module")
def synthetic_jobs(synthetic_stack: AtelierStack) -> Template:
    """The queues, workers and schedules part of the synthetic app."""
    return Template.from_stack(synthetic_stack.jobs)


def test_tables_drive_the_stack(synthetic: Template):
    template = synthetic.to_json()
    assert method_paths(template) == {(r.method, r.path) for r in SYNTHETIC_ROUTES}
    authorizers = resources(template, "AWS::ApiGateway::Authorizer")
    assert len(authorizers) == 2
    sources = {a["Properties"]["IdentitySource"] for a in authorizers.values()}
    assert sources == {
        "method.request.header.X-Atelier-Key,method.request.header.Origin",
        "method.request.header.Authorization",
    }
    custom = [
        m
        for m in resources(template, "AWS::ApiGateway::Method").values()
        if m["Properties"]["AuthorizationType"] == "CUSTOM"
    ]
    assert len(custom) == 3


def test_workers_get_a_queue_a_dlq_and_partial_batch_failures(synthetic_jobs: Template):
    synthetic = synthetic_jobs
    worker = SYNTHETIC_WORKERS[0]
    synthetic.has_resource_properties(
        "AWS::SQS::Queue",
        {
            "VisibilityTimeout": worker.timeout_s * 6,
            "RedrivePolicy": {
                "maxReceiveCount": worker.max_receive_count,
                "deadLetterTargetArn": Match.any_value(),
            },
            "SqsManagedSseEnabled": True,
        },
    )
    synthetic.resource_count_is("AWS::SQS::Queue", 2)
    synthetic.has_resource_properties(
        "AWS::Lambda::EventSourceMapping",
        {
            "BatchSize": worker.batch_size,
            "FunctionResponseTypes": ["ReportBatchItemFailures"],
            "ScalingConfig": {"MaximumConcurrency": worker.max_concurrency},
        },
    )
    assert worker.visibility_timeout_s >= 6 * worker.timeout_s


def test_cdk_nag_is_active_and_fails_the_synth():
    app = cdk.App()
    stack = cdk.Stack(app, "Bad")
    sqs.Queue(stack, "Unencrypted", encryption=sqs.QueueEncryption.UNENCRYPTED)
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    with pytest.raises(Exception, match="AwsSolutions-SQS2"):
        app.synth()


@pytest.mark.parametrize("part", ["root", "nested"])
def test_cfn_lint_is_clean(templates: dict[str, dict[str, Any]], tmp_path: Path, part: str):
    chosen = [t for name, t in templates.items() if (name == "root") == (part == "root")]
    for index, tpl in enumerate(chosen):
        _lint(tpl, tmp_path / f"{part}-{index}.json")


def _lint(template: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(template))
    result = subprocess.run(
        # W3005: CDK itself adds a DependsOn on each function's role that a GetAtt already
        # implies; harmless, and not ours to change. Everything else must be clean.
        [str(Path(sys.executable).with_name("cfn-lint")), str(path), "--ignore-checks", "W3005"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_api_functions_carry_no_media_layer(template: dict[str, Any]):
    functions = route_functions(template)
    for route in routes.ROUTES:
        if Layer.MEDIA not in route.layers and route.handler != routes.PREFLIGHT_HANDLER:
            assert len(functions[f"{route.method} {route.path}"]["Layers"]) == 2


def test_only_enqueuing_functions_may_send_to_their_queues(template: dict[str, Any]):
    functions = route_functions(template)
    for route in routes.ROUTES:
        if route.handler == routes.PREFLIGHT_HANDLER:
            continue
        env = functions[f"{route.method} {route.path}"].get("Environment", {}).get("Variables", {})
        assert ("ATELIER_QUEUE_URLS" in env) == bool(route.sends_to), route.path
    senders = [
        p
        for p in resources(template, "AWS::IAM::Policy").values()
        if "sqs:SendMessage" in json.dumps(p["Properties"]["PolicyDocument"])
    ]
    expected = (
        sum(1 for r in routes.ROUTES if r.sends_to)
        + sum(1 for w in routes.WORKERS if w.sends_to)
        + sum(1 for s in routes.SCHEDULES if s.sends_to)
    )
    assert len(senders) == expected


def test_every_worker_has_a_queue_with_dlq(template: dict[str, Any]):
    queues = resources(template, "AWS::SQS::Queue")
    assert len(queues) == 2 * len(routes.WORKERS)
    redrives = [q for q in queues.values() if "RedrivePolicy" in q["Properties"]]
    assert len(redrives) == len(routes.WORKERS)
    for worker in routes.WORKERS:
        assert any(
            q["Properties"]["VisibilityTimeout"] == worker.visibility_timeout_s for q in redrives
        )


def test_each_schedule_is_a_rule_targeting_its_function(template: dict[str, Any]):
    rules = resources(template, "AWS::Events::Rule")
    assert len(rules) == len(routes.SCHEDULES)
    expressions = {r["Properties"]["ScheduleExpression"] for r in rules.values()}
    assert expressions == {
        events.Schedule.rate(cdk.Duration.minutes(s.every_minutes)).expression_string
        for s in routes.SCHEDULES
    }


def test_every_stack_stays_under_cloudformations_resource_limit(
    templates: dict[str, dict[str, Any]],
):
    for name, tpl in templates.items():
        count = len(tpl["Resources"])
        # 500 is CloudFormation's hard limit per stack; keep room for what is still to come.
        assert count <= 450, f"{name}: {count} resources: split it further (nested stacks per area)"


def test_alarms_watch_dead_letters_the_api_and_aurora_and_notify_one_topic(
    template: dict[str, Any],
):
    alarms = resources(template, "AWS::CloudWatch::Alarm")
    assert len(alarms) == 3 + len(routes.WORKERS)
    metrics = sorted(a["Properties"]["MetricName"] for a in alarms.values())
    assert metrics.count("ApproximateNumberOfMessagesVisible") == len(routes.WORKERS)
    assert {"5XXError", "Latency", "ACUUtilization"} <= set(metrics)
    [rate] = [
        a["Properties"] for a in alarms.values() if a["Properties"]["MetricName"] == "5XXError"
    ]
    assert rate["Statistic"] == "Average" and 0 < rate["Threshold"] < 1  # a share of requests
    assert (rate["DatapointsToAlarm"], rate["EvaluationPeriods"]) == (2, 3)
    [topic_id] = resources(template, "AWS::SNS::Topic")
    assert all(a["Properties"]["AlarmActions"] == [{"Ref": topic_id}] for a in alarms.values())
    [topic] = resources(template, "AWS::SNS::Topic").values()
    assert "KmsMasterKeyId" in topic["Properties"]
    assert len(resources(template, "AWS::CloudWatch::Dashboard")) == 1


def test_each_method_and_authorizer_may_invoke_its_function_and_nothing_else(
    templates: dict[str, dict[str, Any]], template: dict[str, Any]
):
    permissions = [
        p["Properties"]
        for p in resources(template, "AWS::Lambda::Permission").values()
        if p["Properties"]["Principal"] == "apigateway.amazonaws.com"
    ]
    authorizers = resources(template, "AWS::ApiGateway::Authorizer")
    assert len(permissions) == len(routes.ROUTES) + len(authorizers)
    sources = [json.dumps(p["SourceArn"]) for p in permissions]
    for route in routes.ROUTES:
        arn_path = re.sub(r"\{[^}]+\}", "*", route.path)
        assert any(f"/{route.method}{arn_path}" in s for s in sources), route.path
    assert sum("/authorizers/" in s for s in sources) == len(authorizers)


def test_the_functions_part_never_refers_back_to_the_api(templates: dict[str, dict[str, Any]]):
    [functions] = [t for name, t in templates.items() if "ApiFunctions" in name]
    assert not [p for p in functions.get("Parameters", {}) if "ApiStack" in p]
    assert not resources(functions, "AWS::ApiGateway::Method")
    [api] = [t for name, t in templates.items() if "ApiStack" in name]
    assert not resources(api, "AWS::Lambda::Function")
