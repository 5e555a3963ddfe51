"""CDK entry point: `npx cdk synth` (offline, no AWS account needed).

Context: `-c stage=dev|prod` names the stack; `-c bundle=false` skips installing the
third-party dependency layers (fast synth for tests and reviews).
"""

import os

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks

from infra.domains import Domains
from infra.stack import AtelierStack

# Feature flags: the same for `cdk synth` and the tests, so they live here, not in cdk.json.
FEATURE_FLAGS = {
    "@aws-cdk/core:stackRelativeExports": True,
    "@aws-cdk/aws-lambda:recognizeLayerVersion": True,
    "@aws-cdk/aws-iam:minimizePolicies": True,
    # Access-log delivery by bucket policy instead of the legacy LogDeliveryWrite ACL.
    "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy": True,
}


def build_app(context: dict[str, object] | None = None) -> cdk.App:
    app = cdk.App(context={**FEATURE_FLAGS, **(context or {})})
    stage = str(app.node.try_get_context("stage") or "dev")
    bundle = str(app.node.try_get_context("bundle")).lower() not in ("false", "0", "no")
    AtelierStack(
        app,
        f"Atelier-{stage}",
        stage=stage,
        bundle=bundle,
        domains=Domains.from_context(app.node),
    )
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    return app


if __name__ == "__main__":
    build_app().synth()
