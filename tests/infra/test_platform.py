"""The platform around the functions: network and database, migrations on deploy,
buckets and CDN, user pool, mail, secrets and parameters."""

from __future__ import annotations

import json
from typing import Any

import pytest

from atelier import routes
from atelier.auth.principal import Role
from infra.database_construct import APP_USER, OWNER_USER
from infra.migrations_construct import HANDLER as MIGRATE_HANDLER
from infra.migrations_construct import schema_hash

pytestmark = [pytest.mark.infra, pytest.mark.slow]


def resources(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def one(template: dict[str, Any], kind: str) -> dict[str, Any]:
    [resource] = resources(template, kind).values()
    return dict(resource["Properties"])


def app_functions(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Handler module → properties, for the app's own functions."""
    return {
        f["Properties"]["Handler"].removesuffix(".handler"): f["Properties"]
        for f in resources(template, "AWS::Lambda::Function").values()
        if str(f["Properties"].get("Handler", "")).startswith("functions.")
    }


def role_policy(template: dict[str, Any], function: dict[str, Any]) -> str:
    """Every statement a function's role holds (inline and attached), as JSON text."""
    role_id = function["Role"]["Fn::GetAtt"][0]
    role = template["Resources"][role_id]["Properties"]
    docs = [p["PolicyDocument"] for p in role.get("Policies", [])]
    docs += [
        p["Properties"]["PolicyDocument"]
        for p in resources(template, "AWS::IAM::Policy").values()
        if {"Ref": role_id} in p["Properties"]["Roles"]
    ]
    return json.dumps(docs)


def test_aurora_serverless_v2_encrypted_with_iam_auth(template: dict[str, Any]):
    cluster = one(template, "AWS::RDS::DBCluster")
    assert cluster["Engine"] == "aurora-postgresql"
    assert cluster["StorageEncrypted"] is True
    assert cluster["EnableIAMDatabaseAuthentication"] is True
    assert cluster["ServerlessV2ScalingConfiguration"]["MaxCapacity"] >= 1
    assert "{{resolve:secretsmanager:" in json.dumps(cluster["MasterUserPassword"])
    instances = resources(template, "AWS::RDS::DBInstance").values()
    assert {i["Properties"]["DBInstanceClass"] for i in instances} == {"db.serverless"}
    assert all(i["Properties"].get("PubliclyAccessible") is False for i in instances)


def test_functions_reach_aurora_only_through_the_proxy_with_iam(template: dict[str, Any]):
    proxy = one(template, "AWS::RDS::DBProxy")
    assert proxy["RequireTLS"] is True
    assert {a["IAMAuth"] for a in proxy["Auth"]} == {"REQUIRED"}
    assert len(proxy["Auth"]) == 2  # the owner and the application role
    secrets = resources(template, "AWS::SecretsManager::Secret")
    templates = [
        json.loads(s["Properties"]["GenerateSecretString"]["SecretStringTemplate"])
        for s in secrets.values()
        if "GenerateSecretString" in s["Properties"]
    ]
    users = {t["username"] for t in templates if "username" in t}
    assert users == {OWNER_USER, APP_USER}
    # Aurora's only ingress is the proxy; the proxy's only ingress is the functions.
    ingress = resources(template, "AWS::EC2::SecurityGroupIngress")
    assert {i["Properties"]["Description"] for i in ingress.values()} == {
        "Allow connections to the database Cluster from the Proxy",
        "Functions to RDS Proxy",
    }


def test_every_function_runs_in_the_vpc_with_the_app_role_and_no_password(
    template: dict[str, Any],
):
    owners = {MIGRATE_HANDLER} | {s.handler for s in routes.SCHEDULES if s.owner}
    functions = app_functions(template)
    for handler, fn in functions.items():
        assert len(fn["VpcConfig"]["SubnetIds"]) == 2, handler
        # One shared security group, not one per function.
        [group] = fn["VpcConfig"]["SecurityGroupIds"]
        assert "DatabaseFunctionsSg" in json.dumps(group), handler
        env = fn["Environment"]["Variables"]
        assert env["ATELIER_DATABASE_USER"] == APP_USER
        assert env["ATELIER_DATABASE_IAM_AUTH"] == "true"
        assert not any("PASSWORD" in name for name in env)
        policy = role_policy(template, fn)
        assert "rds-db:connect" in policy
        assert (f"/{OWNER_USER}" in policy) == (handler in owners), handler
        assert (f"/{APP_USER}" in policy) == (handler not in owners), handler
        assert ("ATELIER_ADMIN_DATABASE_USER" in env) == (handler in owners), handler


def secrets_read_by(template: dict[str, Any], fn: dict[str, Any]) -> set[str]:
    """Which of the deployment's secrets ("Secrets": Stripe, "DataKey") a function reads."""
    env = json.dumps(fn["Environment"]["Variables"].get("ATELIER_SECRETS_ARN", ""))
    policy = role_policy(template, fn)
    found = {name for name in ("testSecrets", "testDataKey") if name in env}
    # Every secret named in the environment is readable, and nothing else is.
    assert found == {name for name in ("testSecrets", "testDataKey") if name in policy}
    return {name.removeprefix("test") for name in found}


def test_only_functions_that_need_the_stripe_keys_may_read_them(template: dict[str, Any]):
    functions = app_functions(template)
    readers = {h for h, fn in functions.items() if "Secrets" in secrets_read_by(template, fn)}
    assert readers == {r.handler for r in routes.ROUTES if r.secrets}


def test_only_code_that_reaches_sealing_may_read_the_data_key(template: dict[str, Any]):
    from infra.reach import reaches_module

    functions = app_functions(template)
    readers = {h for h, fn in functions.items() if "DataKey" in secrets_read_by(template, fn)}
    assert readers == {h for h in functions if reaches_module(h, "atelier.sealing")}
    assert {MIGRATE_HANDLER, "functions.workers.deliver_webhook"} <= readers
    assert "functions.webhooks.shopify_orders_paid" in readers
    assert not {"functions.system.health", "functions.catalog.get_product"} & readers
    # The app secret (the DB role's password) is the migrate function's alone.
    granted = {h for h, fn in functions.items() if "DatabaseAppSecret" in role_policy(template, fn)}
    assert granted == {MIGRATE_HANDLER}


def test_the_data_key_is_generated_and_outlives_the_stack(templates: dict[str, dict[str, Any]]):
    root = {"Resources": templates["root"]["Resources"]}
    [key] = [s for k, s in resources(root, "AWS::SecretsManager::Secret").items() if "DataKey" in k]
    generated = key["Properties"]["GenerateSecretString"]
    assert generated["GenerateStringKey"] == "data_key" and generated["PasswordLength"] >= 32
    assert key["DeletionPolicy"] == "Retain"


def test_nothing_secret_in_the_template(templates: dict[str, dict[str, Any]]):
    [app_secret] = [
        s
        for k, s in resources(
            {"Resources": templates["root"]["Resources"]}, "AWS::SecretsManager::Secret"
        ).items()
        if k.startswith("Secrets")
    ]
    assert app_secret["Properties"]["SecretString"] == "{}"  # filled by operators
    text = json.dumps(templates)
    for marker in ("sk_live_", "sk_test_", "whsec_", "-----BEGIN"):
        assert marker not in text


def test_migrations_run_on_deploy_before_the_api_and_workers_change(
    templates: dict[str, dict[str, Any]], template: dict[str, Any]
):
    schema = one(template, "Custom::AtelierSchema")
    assert schema["SchemaHash"] == schema_hash()
    migrate_id = schema["ServiceToken"]["Fn::GetAtt"][0]
    assert (
        template["Resources"][migrate_id]["Properties"]["Handler"] == f"{MIGRATE_HANDLER}.handler"
    )
    stacks = resources({"Resources": templates["root"]["Resources"]}, "AWS::CloudFormation::Stack")
    [data] = [k for k in stacks if k.startswith("Data")]
    for name, nested in stacks.items():
        if not name.startswith("Data"):
            assert data in nested.get("DependsOn", []), name


def test_schema_hash_follows_the_migration_scripts(tmp_path, monkeypatch):
    import infra.migrations_construct as migrations

    (tmp_path / "versions").mkdir()
    (tmp_path / "versions" / "0001_a.py").write_text("a = 1\n")
    monkeypatch.setattr(migrations, "MIGRATIONS", tmp_path)
    before = migrations.schema_hash()
    assert migrations.schema_hash() == before
    (tmp_path / "versions" / "0002_b.py").write_text("b = 2\n")
    assert migrations.schema_hash() != before


def test_buckets_are_private_encrypted_and_tls_only(template: dict[str, Any]):
    buckets = resources(template, "AWS::S3::Bucket")
    assert len(buckets) == 4  # objects, widget, access logs, CDN logs
    for name, bucket in buckets.items():
        props = bucket["Properties"]
        assert props["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }, name
        assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"], name
    policies = resources(template, "AWS::S3::BucketPolicy").values()
    tls_only = [
        p
        for p in policies
        if '"aws:SecureTransport": "false"' in json.dumps(p["Properties"]["PolicyDocument"])
    ]
    assert len(tls_only) == len(buckets)


def test_objects_bucket_lifecycle(template: dict[str, Any]):
    [objects] = [
        b["Properties"]
        for k, b in resources(template, "AWS::S3::Bucket").items()
        if k.startswith("StorageObjects")
    ]
    rules = {r["Id"]: r for r in objects["LifecycleConfiguration"]["Rules"]}
    assert rules["abandoned-uploads"]["AbortIncompleteMultipartUpload"] == {
        "DaysAfterInitiation": 1
    }
    assert rules["renders-to-intelligent-tiering"]["Prefix"] == "renders/"
    assert rules["bundles-to-infrequent-access"]["Prefix"] == "bundles/"


def test_cloudfront_serves_the_widget_and_renders_through_origin_access_control(
    template: dict[str, Any],
):
    config = one(template, "AWS::CloudFront::Distribution")["DistributionConfig"]
    assert len(config["Origins"]) == 2
    assert all(o["OriginAccessControlId"] for o in config["Origins"])
    assert all(o["S3OriginConfig"] == {"OriginAccessIdentity": ""} for o in config["Origins"])
    from atelier.adapters.storage import PUBLIC_PREFIXES

    assert [b["PathPattern"] for b in config["CacheBehaviors"]] == [
        f"{prefix}*" for prefix in PUBLIC_PREFIXES
    ]
    for behavior in [config["DefaultCacheBehavior"], *config["CacheBehaviors"]]:
        assert behavior["ViewerProtocolPolicy"] == "redirect-to-https"
        assert behavior["AllowedMethods"] == ["GET", "HEAD"]
    assert len(resources(template, "AWS::CloudFront::OriginAccessControl")) == 2
    assert not resources(template, "AWS::CloudFront::CloudFrontOriginAccessIdentity")
    deployments = resources(template, "Custom::CDKBucketDeployment")
    controls = sorted(
        json.dumps(d["Properties"].get("SystemMetadata")) for d in deployments.values()
    )
    assert any("immutable" in c for c in controls)  # hashed chunks
    assert any("max-age=300" in c for c in controls)  # the entry point brands embed


def test_brand_users_are_a_cognito_pool_with_mfa_and_role_groups(template: dict[str, Any]):
    pool = one(template, "AWS::Cognito::UserPool")
    assert pool["MfaConfiguration"] == "ON"
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    [brand] = [a for a in pool["Schema"] if a["Name"] == "brand_id"]
    assert (brand["AttributeDataType"], brand["Mutable"]) == ("String", False)
    groups = {
        g["Properties"]["GroupName"]
        for g in resources(template, "AWS::Cognito::UserPoolGroup").values()
    }
    assert groups == {r.value for r in Role}
    client = one(template, "AWS::Cognito::UserPoolClient")
    assert client["GenerateSecret"] is False
    assert "custom:brand_id" not in json.dumps(client.get("WriteAttributes", []))
    for handler, fn in app_functions(template).items():
        env = fn["Environment"]["Variables"]
        assert "cognito-idp" in json.dumps(env["ATELIER_JWT_ISSUER"]), handler
        assert env["ATELIER_JWT_AUDIENCE"], handler
        # The console's origins reach every function (CORS) from the one parameter.
        assert "ConsoleOrigins" in json.dumps(env["ATELIER_CONSOLE_ORIGINS"]), handler


def test_only_the_email_worker_sends_mail_through_ses(template: dict[str, Any]):
    identity = one(template, "AWS::SES::EmailIdentity")
    assert identity["EmailIdentity"] == {"Ref": "EmailDomain"} or "EmailDomain" in json.dumps(
        identity
    )
    senders = {
        h
        for h, fn in app_functions(template).items()
        if "ses:SendEmail" in role_policy(template, fn)
    }
    [email] = [w.handler for w in routes.WORKERS if w.queue == "email"]
    assert senders == {email}
    env = app_functions(template)[email]["Environment"]["Variables"]
    assert env["ATELIER_EMAIL_VIA_SES"] == "true"


def test_parameters_are_named_and_not_secret(templates: dict[str, dict[str, Any]]):
    parameters = templates["root"]["Parameters"]
    assert {"EmailDomain", "ConsoleOrigins", "AlarmEmail"} <= set(parameters)
    assert parameters["ConsoleOrigins"]["Type"] == "String"  # comma-separated
    subscription = one({"Resources": templates["root"]["Resources"]}, "AWS::SNS::Subscription")
    assert subscription["Protocol"] == "email"


def test_vpc_has_flow_logs_and_private_subnets(template: dict[str, Any]):
    assert resources(template, "AWS::EC2::FlowLog")
    subnets = resources(template, "AWS::EC2::Subnet").values()
    public = [s for s in subnets if s["Properties"].get("MapPublicIpOnLaunch")]
    assert len(public) == 2 and len(subnets) == 4
    endpoints = resources(template, "AWS::EC2::VPCEndpoint").values()
    assert any(e["Properties"].get("VpcEndpointType") == "Gateway" for e in endpoints)


@pytest.fixture(scope="module")
def prod_data() -> dict[str, Any]:
    """The data part of a prod synth (sizing differs by stage); cdk-nag checks it too."""
    import aws_cdk as cdk
    from aws_cdk.assertions import Template
    from cdk_nag import AwsSolutionsChecks

    from app import FEATURE_FLAGS
    from infra.stack import AtelierStack

    app = cdk.App(context={**FEATURE_FLAGS, "bundle": "false"})
    stack = AtelierStack(app, "Atelier-prod", stage="prod", bundle=False)
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    app.synth()  # raises on any unacknowledged finding

    out = dict(Template.from_stack(stack.data).to_json())
    out["Resources"].update(Template.from_stack(stack).to_json()["Resources"])
    return out


def test_prod_keeps_its_data_and_survives_an_availability_zone(prod_data: dict[str, Any]):
    cluster = resources(prod_data, "AWS::RDS::DBCluster")
    [props] = [c["Properties"] for c in cluster.values()]
    assert props["DeletionProtection"] is True
    assert props["BackupRetentionPeriod"] >= 14
    assert all(c["DeletionPolicy"] == "Snapshot" for c in cluster.values())
    assert len(resources(prod_data, "AWS::RDS::DBInstance")) == 2  # writer + reader
    assert len(resources(prod_data, "AWS::EC2::NatGateway")) == 2
    pool = resources(prod_data, "AWS::Cognito::UserPool")
    assert all(p["Properties"]["DeletionProtection"] == "ACTIVE" for p in pool.values())
    buckets = resources(prod_data, "AWS::S3::Bucket")
    kept = [k for k, b in buckets.items() if b["DeletionPolicy"] == "Retain"]
    assert len(kept) == 3  # everything but the widget build, which a deploy recreates


API_CERT = "arn:aws:acm:eu-west-3:123456789012:certificate/api"
CDN_CERT = "arn:aws:acm:us-east-1:123456789012:certificate/cdn"


def test_custom_domains_from_context():
    import aws_cdk as cdk
    from aws_cdk.assertions import Template

    from app import build_app

    app = build_app(
        {
            "bundle": "false",
            "stage": "dom",
            "api_domain": "api.example.com",
            "api_certificate_arn": API_CERT,
            "cdn_domain": "cdn.example.com",
            "cdn_certificate_arn": CDN_CERT,
        }
    )
    assembly = app.synth()  # cdk-nag included: CFR4 must hold without acknowledgement
    [stack] = [s for s in app.node.children if isinstance(s, cdk.Stack)]
    api = Template.from_stack(stack.api_stack).to_json()  # type: ignore[attr-defined]
    domain = one(api, "AWS::ApiGateway::DomainName")
    assert domain["DomainName"] == "api.example.com"
    assert domain["SecurityPolicy"] == "TLS_1_2"
    assert domain["RegionalCertificateArn"] == API_CERT
    assert resources(api, "AWS::ApiGateway::BasePathMapping")
    root = assembly.get_stack_by_name("Atelier-dom").template
    config = one(root, "AWS::CloudFront::Distribution")["DistributionConfig"]
    assert config["Aliases"] == ["cdn.example.com"]
    assert config["ViewerCertificate"]["MinimumProtocolVersion"] == "TLSv1.2_2021"
    assert config["ViewerCertificate"]["AcmCertificateArn"] == CDN_CERT
    assert {"ApiDomainTarget", "CdnDomainTarget"} <= set(root["Outputs"])


@pytest.mark.parametrize(
    ("context", "message"),
    [
        ({"api_domain": "api.example.com"}, "go together"),
        ({"cdn_domain": "cdn.example.com", "cdn_certificate_arn": API_CERT}, "us-east-1"),
    ],
)
def test_custom_domain_context_is_checked(context: dict[str, str], message: str):
    from app import build_app

    with pytest.raises(ValueError, match=message):
        build_app({"bundle": "false", "stage": "bad", **context})


def test_only_functions_that_reach_storage_may_use_the_objects_bucket(template: dict[str, Any]):
    from infra.reach import uses_storage

    functions = app_functions(template)
    users = {h for h, fn in functions.items() if "s3:PutObject" in role_policy(template, fn)}
    assert users == {h for h in functions if uses_storage(h)}
    for handler, fn in functions.items():
        env = fn["Environment"]["Variables"]
        assert ("ATELIER_STORAGE_BUCKET" in env) == (handler in users), handler
    # Sanity of the import walk: the endpoints that hand out file URLs, and not the rest.
    assert {"functions.snapshots.create", "functions.renders.fetch"} <= users
    assert "functions.workers.render_preview" in users
    assert not {"functions.system.health", "functions.keys.create_key"} & users


def test_the_import_walk_follows_imports_inside_functions(tmp_path, monkeypatch):
    import infra.reach as reach

    pkg = tmp_path / "functions"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "direct.py").write_text("from atelier import bootstrap\nbootstrap.storage()\n")
    (pkg / "indirect.py").write_text("def handler():\n    from functions import direct\n")
    (pkg / "none.py").write_text("import json\n")
    monkeypatch.setitem(reach.PACKAGES, "functions", tmp_path)
    reach._imports.cache_clear()
    reach.uses_storage.cache_clear()
    try:
        assert reach.uses_storage("functions.direct")
        assert reach.uses_storage("functions.indirect")
        assert not reach.uses_storage("functions.none")
    finally:
        reach._imports.cache_clear()
        reach.uses_storage.cache_clear()
