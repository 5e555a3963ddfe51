"""The network and the database: a VPC whose private subnets hold Aurora PostgreSQL
Serverless v2 behind RDS Proxy, and the security group every function runs in.

Functions authenticate to the proxy with IAM (a 15-minute token signed from their own
role), so no database password ever reaches a Lambda. The proxy itself logs in to
Aurora with two Secrets Manager secrets: the cluster's owner (migrations, maintenance)
and the application role `atelier_app`, which owns nothing and is held by row-level
security; the migration function sets that role's password from its secret.
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Acknowledgment, Duration, Fn, RemovalPolicy, Stack, Validations
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_rds as rds
from constructs import Construct

DATABASE_NAME = "atelier"
OWNER_USER = "atelier_owner"
APP_USER = "atelier_app"  # created by migration 0006
PORT = 5432


@dataclass(frozen=True)
class Sizing:
    """What differs between a development stage and production."""

    min_acu: float
    max_acu: float
    readers: int
    nat_gateways: int
    backup_days: int
    deletion_protection: bool


SIZING = {
    "prod": Sizing(
        min_acu=0.5, max_acu=16, readers=1, nat_gateways=2, backup_days=14, deletion_protection=True
    ),
    "default": Sizing(
        min_acu=0, max_acu=4, readers=0, nat_gateways=1, backup_days=7, deletion_protection=False
    ),
}


def sizing_for(stage: str) -> Sizing:
    return SIZING.get(stage, SIZING["default"])


class DatabaseConstruct(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, stage: str) -> None:
        super().__init__(scope, construct_id)
        self.sizing = sizing = sizing_for(stage)
        flow_logs = logs.LogGroup(self, "FlowLogs", retention=logs.RetentionDays.ONE_MONTH)
        # Private subnets with egress: functions call Stripe, Shopify, Cognito's JWKS and
        # brands' webhook endpoints; public subnets hold only the NAT gateways.
        self.vpc = ec2.Vpc(
            self,
            "Vpc",
            max_azs=2,
            nat_gateways=sizing.nat_gateways,
            subnet_configuration=[
                ec2.SubnetConfiguration(
                    name="public", subnet_type=ec2.SubnetType.PUBLIC, cidr_mask=24
                ),
                ec2.SubnetConfiguration(
                    name="private", subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS, cidr_mask=22
                ),
            ],
            flow_logs={
                "all": ec2.FlowLogOptions(
                    destination=ec2.FlowLogDestination.to_cloud_watch_logs(flow_logs)
                )
            },
            gateway_endpoints={
                # S3 traffic (renders, bundles) stays off the NAT gateway.
                "s3": ec2.GatewayVpcEndpointOptions(service=ec2.GatewayVpcEndpointAwsService.S3)
            },
        )
        self.subnets = ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS)
        self.functions_security_group = ec2.SecurityGroup(
            self,
            "FunctionsSg",
            vpc=self.vpc,
            description="Every Atelier function",
            allow_all_outbound=True,
        )
        self.owner_secret = rds.DatabaseSecret(self, "OwnerSecret", username=OWNER_USER)
        self.app_secret = rds.DatabaseSecret(self, "AppSecret", username=APP_USER)
        database_sg = ec2.SecurityGroup(
            self, "DatabaseSg", vpc=self.vpc, description="Aurora", allow_all_outbound=False
        )
        writer = rds.ClusterInstance.serverless_v2("Writer", enable_performance_insights=True)
        readers = [
            rds.ClusterInstance.serverless_v2(
                f"Reader{i + 1}", scale_with_writer=True, enable_performance_insights=True
            )
            for i in range(sizing.readers)
        ]
        self.cluster = rds.DatabaseCluster(
            self,
            "Cluster",
            engine=rds.DatabaseClusterEngine.aurora_postgres(
                version=rds.AuroraPostgresEngineVersion.VER_17_6
            ),
            credentials=rds.Credentials.from_secret(self.owner_secret),
            default_database_name=DATABASE_NAME,
            writer=writer,
            readers=readers,
            serverless_v2_min_capacity=sizing.min_acu,
            serverless_v2_max_capacity=sizing.max_acu,
            vpc=self.vpc,
            vpc_subnets=self.subnets,
            security_groups=[database_sg],
            port=PORT,
            storage_encrypted=True,
            iam_authentication=True,
            deletion_protection=sizing.deletion_protection,
            removal_policy=RemovalPolicy.SNAPSHOT,
            backup=rds.BackupProps(retention=Duration.days(sizing.backup_days)),
            cloudwatch_logs_exports=["postgresql"],
            cloudwatch_logs_retention=logs.RetentionDays.ONE_MONTH,
        )
        self.proxy_security_group = ec2.SecurityGroup(
            self, "ProxySg", vpc=self.vpc, description="RDS Proxy", allow_all_outbound=False
        )
        self.proxy = rds.DatabaseProxy(
            self,
            "Proxy",
            db_proxy_name=f"atelier-{stage}",
            proxy_target=rds.ProxyTarget.from_cluster(self.cluster),
            secrets=[self.owner_secret, self.app_secret],
            vpc=self.vpc,
            vpc_subnets=self.subnets,
            security_groups=[self.proxy_security_group],
            iam_auth=True,
            require_tls=True,
            debug_logging=False,
            idle_client_timeout=Duration.minutes(30),
        )
        # (The proxy → Aurora rules are added by the proxy target itself.)
        self.proxy_security_group.add_ingress_rule(
            self.functions_security_group, ec2.Port.tcp(PORT), "Functions to RDS Proxy"
        )
        self._acknowledge(stage)

    def connect_arn(self, user: str) -> str:
        """The `rds-db:connect` resource for `user` through the proxy (IAM auth)."""
        proxy_resource_id = Fn.select(6, Fn.split(":", self.proxy.db_proxy_arn))
        return Stack.of(self).format_arn(
            service="rds-db", resource="dbuser", resource_name=f"{proxy_resource_id}/{user}"
        )

    def connect_statement(self, *users: str) -> iam.PolicyStatement:
        return iam.PolicyStatement(
            actions=["rds-db:connect"], resources=[self.connect_arn(u) for u in users]
        )

    def environment(self, *, admin: bool = False) -> dict[str, str]:
        """What a function needs to reach the database as the application role (and, for
        maintenance functions, as the owner)."""
        env = {
            "ATELIER_DATABASE_HOST": self.proxy.endpoint,
            "ATELIER_DATABASE_PORT": str(PORT),
            "ATELIER_DATABASE_NAME": DATABASE_NAME,
            "ATELIER_DATABASE_USER": APP_USER,
            "ATELIER_DATABASE_IAM_AUTH": "true",
        }
        if admin:
            env["ATELIER_ADMIN_DATABASE_USER"] = OWNER_USER
        return env

    def _acknowledge(self, stage: str) -> None:
        Validations.of(self).acknowledge(
            Acknowledgment(
                id="AwsSolutions-SMG4",
                reason="Rotating these secrets would desynchronise RDS Proxy's and the "
                "role passwords mid-flight; functions never read them (IAM auth to the "
                "proxy), so they never leave Secrets Manager and the proxy.",
            ),
            Acknowledgment(
                id="AwsSolutions-RDS11",
                reason="Aurora is reachable only from RDS Proxy's security group inside "
                "private subnets; a non-default port would add nothing.",
            ),
            Acknowledgment(
                id="AwsSolutions-RDS14",
                reason="Backtrack exists only for Aurora MySQL; PostgreSQL relies on "
                "point-in-time recovery from the continuous backups.",
            ),
        )
        if not self.sizing.deletion_protection:
            Validations.of(self.cluster).acknowledge(
                Acknowledgment(
                    id="AwsSolutions-RDS10",
                    reason=f"Stage {stage!r} is disposable; prod has deletion protection and "
                    "a final snapshot is taken on removal either way.",
                )
            )
