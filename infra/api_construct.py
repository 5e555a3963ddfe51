"""The REST API: one Lambda and one method per route of the route table, the two REQUEST
authorizers, problem+json gateway responses, access logs, tracing, throttling and WAF.

The functions may live in another (nested) stack than the API: each method's invoke
permission is created here, next to the method, so the functions' stack never refers
back to the API (two stacks referring to each other cannot be deployed).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping

import jsii
from aws_cdk import Acknowledgment, Aws, Duration, Stack, Validations
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from atelier import routes
from atelier.routes import Auth, Route
from infra.domains import CustomDomain
from infra.functions import FunctionFactory, connect_queues

IDENTITY_SOURCES = {
    Auth.WIDGET: [
        apigw.IdentitySource.header("X-Atelier-Key"),
        apigw.IdentitySource.header("Origin"),
    ],
    Auth.BRAND: [apigw.IdentitySource.header("Authorization")],
}

# What API Gateway answers by itself (no route, authorizer refusal, throttling), shaped
# like the functions' own RFC 9457 problems.
GATEWAY_PROBLEMS = {
    apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN: ("404", "not-found", "Not found"),
    apigw.ResponseType.RESOURCE_NOT_FOUND: ("404", "not-found", "Not found"),
    apigw.ResponseType.UNAUTHORIZED: ("401", "unauthorized", "Missing or invalid credentials"),
    apigw.ResponseType.ACCESS_DENIED: ("403", "forbidden", "Not allowed"),
    apigw.ResponseType.THROTTLED: ("429", "rate-limited", "Too many requests"),
    apigw.ResponseType.REQUEST_TOO_LARGE: ("413", "payload-too-large", "Request body too large"),
    apigw.ResponseType.DEFAULT_4_XX: (None, "bad-request", "The request was refused"),
    apigw.ResponseType.DEFAULT_5_XX: (None, "service-unavailable", "The service failed"),
}


class ApiConstruct(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage: str,
        functions: FunctionFactory,
        table: tuple[Route, ...] = routes.ROUTES,
        authorizers: dict[Auth, str] = routes.AUTHORIZERS,
        queues: Mapping[str, sqs.IQueue] | None = None,
        domain: CustomDomain | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        access_logs = logs.LogGroup(self, "AccessLogs", retention=logs.RetentionDays.THREE_MONTHS)
        self.api = apigw.RestApi(
            self,
            "Api",
            rest_api_name=f"atelier-{stage}",
            description="Atelier personalization API",
            cloud_watch_role=True,
            deploy_options=apigw.StageOptions(
                stage_name=stage,
                tracing_enabled=True,
                logging_level=apigw.MethodLoggingLevel.ERROR,
                metrics_enabled=True,
                throttling_rate_limit=200,
                throttling_burst_limit=400,
                access_log_destination=apigw.LogGroupLogDestination(access_logs),
                access_log_format=apigw.AccessLogFormat.json_with_standard_fields(
                    caller=False,
                    http_method=True,
                    ip=True,
                    protocol=True,
                    request_time=True,
                    resource_path=True,
                    response_length=True,
                    status=True,
                    user=True,
                ),
            ),
        )
        self.validator = self.api.add_request_validator(
            "Validator", validate_request_body=True, validate_request_parameters=True
        )
        for response_type, (status, slug, title) in GATEWAY_PROBLEMS.items():
            body = {
                "type": f"urn:atelier:problem:{slug}",
                "title": title,
                "status": "$context.error.responseType",
                "detail": "$context.error.message",
                "instance": "$context.requestId",
            }
            self.api.add_gateway_response(
                f"Problem{response_type.response_type}",
                type=response_type,
                status_code=status,
                templates={"application/json": json.dumps(body)},
                response_headers={"Content-Type": "'application/problem+json'"},
            )

        self._functions = functions
        self._authorizer_modules = authorizers
        self.authorizers: dict[Auth, _Authorizer] = {}
        self.functions: dict[str, lambda_.Function] = {}
        for route in table:
            # One function per handler module: each endpoint's own, and one shared by
            # every CORS preflight.
            fn = self.functions.get(route.handler)
            if fn is None:
                fn = self.functions[route.handler] = functions.create(
                    _cid(route.handler),
                    handler_module=route.handler,
                    memory_mb=route.memory_mb,
                    timeout_s=route.timeout_s,
                    layers=route.layers,
                    secrets=route.secrets,
                    description=(
                        "CORS preflight"
                        if route.handler == routes.PREFLIGHT_HANDLER
                        else f"{route.method} {route.path}"
                    ),
                )
                connect_queues(fn, route.sends_to, queues or {})
            resource = self.api.root.resource_for_path(route.path.lstrip("/"))
            authorizer = self._authorizer(route.auth)
            method = resource.add_method(
                route.method,
                _proxy_to(fn),
                authorizer=authorizer,
                authorization_type=(
                    apigw.AuthorizationType.CUSTOM if authorizer else apigw.AuthorizationType.NONE
                ),
                request_validator=self.validator,
            )
            self._allow_invoke(
                f"Invoke{route.method}{_path_id(route.path)}",
                fn,
                self.api.arn_for_execute_api(route.method, _arn_path(route.path), "*"),
            )
            if authorizer is None:
                Validations.of(method).acknowledge(
                    Acknowledgment(
                        id="AwsSolutions-APIG4",
                        reason=f"{route.auth.value} route: public by design (health, docs) or "
                        "authenticated by the caller's signature, verified in the handler.",
                    ),
                    Acknowledgment(
                        id="AwsSolutions-COG4",
                        reason="Not a Cognito-authorized route (see APIG4).",
                    ),
                )
            else:
                Validations.of(method).acknowledge(
                    Acknowledgment(
                        id="AwsSolutions-COG4",
                        reason="Lambda REQUEST authorizers verify Cognito JWTs and API keys "
                        "themselves, so one cached authorizer serves both kinds of caller.",
                    )
                )
        self._waf(stage)
        self.domain: apigw.DomainName | None = None
        if domain is not None:
            self.domain = self.api.add_domain_name(
                "Domain",
                domain_name=domain.name,
                certificate=acm.Certificate.from_certificate_arn(
                    self, "Certificate", domain.certificate_arn
                ),
                endpoint_type=apigw.EndpointType.REGIONAL,
                security_policy=apigw.SecurityPolicy.TLS_1_2,
            )
        self.url = f"https://{domain.name}/" if domain else self.api.url

    def _allow_invoke(self, construct_id: str, fn: lambda_.IFunction, source_arn: str) -> None:
        lambda_.CfnPermission(
            self,
            construct_id,
            action="lambda:InvokeFunction",
            function_name=fn.function_arn,
            principal="apigateway.amazonaws.com",
            source_arn=source_arn,
        )

    def _authorizer(self, auth: Auth) -> _Authorizer | None:
        """The REQUEST authorizer for an auth kind, created when a route first needs it."""
        module = self._authorizer_modules.get(auth)
        if module is None:
            return None
        if auth not in self.authorizers:
            fn = self._functions.create(
                _cid(module),
                handler_module=module,
                memory_mb=256,
                timeout_s=5,
                layers=(routes.Layer.API,),
                description=f"Authorizer for {auth.value} routes",
            )
            name = f"{auth.value.title()}Authorizer"
            cfn = apigw.CfnAuthorizer(
                self,
                name,
                name=f"{Stack.of(self).stack_name}-{name}"[-128:],
                rest_api_id=self.api.rest_api_id,
                type="REQUEST",
                authorizer_uri=_invocation_uri(fn),
                identity_source=",".join(IDENTITY_SOURCES[auth]),
                authorizer_result_ttl_in_seconds=int(AUTHORIZER_CACHE.to_seconds()),
            )
            self._allow_invoke(
                f"Invoke{name}",
                fn,
                Stack.of(self).format_arn(
                    service="execute-api",
                    resource=self.api.rest_api_id,
                    resource_name=f"authorizers/{cfn.ref}",
                ),
            )
            self.authorizers[auth] = _Authorizer(cfn.ref)
        return self.authorizers[auth]

    def _waf(self, stage: str) -> None:
        def rule(
            name: str, priority: int, statement: wafv2.CfnWebACL.StatementProperty, *, managed: bool
        ) -> wafv2.CfnWebACL.RuleProperty:
            return wafv2.CfnWebACL.RuleProperty(
                name=name,
                priority=priority,
                statement=statement,
                override_action=wafv2.CfnWebACL.OverrideActionProperty(none={})
                if managed
                else None,
                action=None if managed else wafv2.CfnWebACL.RuleActionProperty(block={}),
                visibility_config=wafv2.CfnWebACL.VisibilityConfigProperty(
                    cloud_watch_metrics_enabled=True,
                    metric_name=name,
                    sampled_requests_enabled=True,
                ),
            )

        acl = wafv2.CfnWebACL(
            self,
            "WebAcl",
            scope="REGIONAL",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            visibility_config=wafv2.CfnWebACL.VisibilityConfigProperty(
                cloud_watch_metrics_enabled=True,
                metric_name=f"atelier-{stage}",
                sampled_requests_enabled=True,
            ),
            rules=[
                rule(
                    "RatePerIp",
                    0,
                    wafv2.CfnWebACL.StatementProperty(
                        rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                            limit=2000, aggregate_key_type="IP"
                        )
                    ),
                    managed=False,
                ),
                rule(
                    "CommonRuleSet",
                    1,
                    wafv2.CfnWebACL.StatementProperty(
                        managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                            vendor_name="AWS", name="AWSManagedRulesCommonRuleSet"
                        )
                    ),
                    managed=True,
                ),
            ],
        )
        stage_arn = Stack.of(self).format_arn(
            service="apigateway",
            account="",
            resource="restapis",
            resource_name=f"{self.api.rest_api_id}/stages/{self.api.deployment_stage.stage_name}",
        )
        wafv2.CfnWebACLAssociation(
            self, "WebAclAssociation", resource_arn=stage_arn, web_acl_arn=acl.attr_arn
        )


AUTHORIZER_CACHE = Duration.minutes(5)


@jsii.implements(apigw.IAuthorizer)
class _Authorizer:
    """A REQUEST authorizer made from its CloudFormation resource (the L2 construct would
    grant its invoke permission in the function's stack, which then refers to the API)."""

    def __init__(self, authorizer_id: str) -> None:
        self._id = authorizer_id

    @property
    def authorizer_id(self) -> str:
        return self._id

    @property
    def authorization_type(self) -> apigw.AuthorizationType:
        return apigw.AuthorizationType.CUSTOM


def _invocation_uri(fn: lambda_.IFunction) -> str:
    return (
        f"arn:{Aws.PARTITION}:apigateway:{Aws.REGION}:lambda:path/2015-03-31/functions/"
        f"{fn.function_arn}/invocations"
    )


def _proxy_to(fn: lambda_.IFunction) -> apigw.Integration:
    """Lambda proxy integration without CDK's automatic permission (see the module doc)."""
    return apigw.Integration(
        type=apigw.IntegrationType.AWS_PROXY,
        integration_http_method="POST",
        uri=_invocation_uri(fn),
    )


def _path_id(path: str) -> str:
    """A readable, unique construct id part for a path: /api/v1/x/{id} → ApiV1XId3f2a."""
    words = re.findall(r"[A-Za-z0-9]+", path)
    digest = hashlib.sha256(path.encode()).hexdigest()[:4]
    return "".join(w.title() for w in words) + digest


def _arn_path(path: str) -> str:
    """An execute-api ARN path: `{param}` segments become wildcards."""
    return re.sub(r"\{[^}]+\}", "*", path)


def _cid(module: str) -> str:
    """A construct id from a handler module: functions.snapshots.lock → SnapshotsLock."""
    parts = module.removeprefix("functions.").replace("_", ".").split(".")
    return "".join(p.title() for p in parts)
