"""Object storage and the CDN.

- `Objects`: fonts, renders, product images, manufacturing bundles. Private; functions
  reach it through their roles and hand out presigned URLs, except content-addressed
  renders and product images, which CloudFront serves (their keys carry SHA-256 digests:
  unguessable, and never changing, so cached for a year).
- `Widget`: the embeddable widget's build, served by CloudFront at `/widget/`.
- `AccessLogs`: S3 server access logs; `CdnLogs`: CloudFront's logs.

CloudFront reads both buckets through origin access control; nothing is public on S3.
"""

from __future__ import annotations

from aws_cdk import Acknowledgment, Duration, RemovalPolicy, Validations
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as deployment
from constructs import Construct

from atelier.adapters.storage import PUBLIC_PREFIXES
from infra import assets
from infra.domains import CustomDomain

IMMUTABLE = "public, max-age=31536000, immutable"
# The widget's entry point keeps its name across releases (brands embed the URL), so it
# is revalidated; its hashed chunks never change.
ENTRY_POINT = "public, max-age=300, stale-while-revalidate=86400"
# Served publicly from the objects bucket: exactly what the storage adapter hands out CDN
# URLs for (content-addressed renders and product images).
PUBLIC_PATHS = tuple(f"{prefix}*" for prefix in PUBLIC_PREFIXES)


class StorageConstruct(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage: str,
        bundle: bool = True,
        domain: CustomDomain | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.custom_domain = domain.name if domain else None
        keep = RemovalPolicy.RETAIN if stage == "prod" else RemovalPolicy.DESTROY

        def bucket(construct_id: str, **props: object) -> s3.Bucket:
            """Private, encrypted, TLS only; kept in prod, emptied and removed elsewhere."""
            defaults: dict[str, object] = {
                "removal_policy": keep,
                "auto_delete_objects": keep is RemovalPolicy.DESTROY,
            }
            return s3.Bucket(
                self,
                construct_id,
                encryption=s3.BucketEncryption.S3_MANAGED,
                block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
                enforce_ssl=True,
                **{**defaults, **props},  # type: ignore[arg-type]
            )

        self.logs = bucket(
            "AccessLogs",
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,  # delivery by policy
            lifecycle_rules=[s3.LifecycleRule(expiration=Duration.days(90))],
        )
        Validations.of(self.logs).acknowledge(
            Acknowledgment(
                id="AwsSolutions-S1",
                reason="This is the access-log bucket; logging it into itself would loop.",
            )
        )
        # CloudFront's standard logs are written with ACLs, which the S3 access-log bucket
        # (delivery by bucket policy) does not enable: they get a bucket of their own.
        self.cdn_logs = bucket(
            "CdnLogs",
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
            server_access_logs_bucket=self.logs,
            server_access_logs_prefix="cdn-logs/",
            lifecycle_rules=[s3.LifecycleRule(expiration=Duration.days(90))],
        )
        self.objects = bucket(
            "Objects",
            server_access_logs_bucket=self.logs,
            server_access_logs_prefix="objects/",
            # Unreferenced renders and product images are deleted by the cleanup schedule,
            # which knows what still points at them; S3 rules only move cold data and drop
            # failed uploads.
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="abandoned-uploads", abort_incomplete_multipart_upload_after=Duration.days(1)
                ),
                s3.LifecycleRule(
                    id="renders-to-intelligent-tiering",
                    prefix="renders/",
                    transitions=[
                        s3.Transition(
                            storage_class=s3.StorageClass.INTELLIGENT_TIERING,
                            transition_after=Duration.days(0),
                        )
                    ],
                ),
                s3.LifecycleRule(
                    id="bundles-to-infrequent-access",
                    prefix="bundles/",
                    transitions=[
                        s3.Transition(
                            storage_class=s3.StorageClass.INFREQUENT_ACCESS,
                            transition_after=Duration.days(30),
                        )
                    ],
                ),
            ],
        )
        # Rebuilt by every deploy: never worth keeping.
        self.widget = bucket(
            "Widget",
            server_access_logs_bucket=self.logs,
            server_access_logs_prefix="widget/",
            removal_policy=RemovalPolicy.DESTROY,
            auto_delete_objects=True,
        )
        cors = cloudfront.ResponseHeadersPolicy(
            self,
            "PublicCors",
            comment="Public, immutable files loaded as ES modules from any storefront",
            cors_behavior=cloudfront.ResponseHeadersCorsBehavior(
                access_control_allow_credentials=False,
                access_control_allow_headers=["*"],
                access_control_allow_methods=["GET", "HEAD"],
                access_control_allow_origins=["*"],
                origin_override=True,
            ),
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                    access_control_max_age=Duration.days(365), override=True
                ),
            ),
        )

        def behavior(origin: cloudfront.IOrigin) -> cloudfront.BehaviorOptions:
            return cloudfront.BehaviorOptions(
                origin=origin,
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                response_headers_policy=cors,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
                compress=True,
            )

        objects = origins.S3BucketOrigin.with_origin_access_control(self.objects)
        self.distribution = cloudfront.Distribution(
            self,
            "Cdn",
            comment=f"Atelier {stage}: widget, renders and product images",
            default_behavior=behavior(
                origins.S3BucketOrigin.with_origin_access_control(self.widget)
            ),
            additional_behaviors={path: behavior(objects) for path in PUBLIC_PATHS},
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
            domain_names=[domain.name] if domain else None,
            certificate=(
                acm.Certificate.from_certificate_arn(self, "CdnCertificate", domain.certificate_arn)
                if domain
                else None
            ),
            minimum_protocol_version=(
                cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 if domain else None
            ),
            enable_logging=True,
            log_bucket=self.cdn_logs,
            log_file_prefix="cdn/",
        )
        self._deploy_widget(bundle)
        acknowledgments = [
            Acknowledgment(
                id="AwsSolutions-CFR1",
                reason="Shoppers of every country load the widget; brands sell worldwide.",
            ),
            Acknowledgment(
                id="AwsSolutions-CFR2",
                reason="Read-only, cached, public files; the API behind API Gateway has the "
                "WAF (a CloudFront WAF must live in us-east-1).",
            ),
        ]
        if domain is None:
            acknowledgments.append(
                Acknowledgment(
                    id="AwsSolutions-CFR4",
                    reason="Without -c cdn_domain the distribution uses the default "
                    "*.cloudfront.net certificate, whose security policy CloudFront fixes; "
                    "with it, TLSv1.2_2021.",
                )
            )
        Validations.of(self.distribution).acknowledge(*acknowledgments)

    @property
    def public_url(self) -> str:
        host = self.custom_domain or self.distribution.distribution_domain_name
        return f"https://{host}"

    def _deploy_widget(self, bundle: bool) -> None:
        dist = assets.widget_dist(required=bundle)
        # Chunks first and never pruned: a page still running the previous entry point
        # must find its chunks after a release.
        chunks = deployment.BucketDeployment(
            self,
            "WidgetChunks",
            sources=[deployment.Source.asset(str(dist), exclude=["*", "!chunks/**"])],
            destination_bucket=self.widget,
            destination_key_prefix="widget/",
            cache_control=[deployment.CacheControl.from_string(IMMUTABLE)],
            prune=False,
        )
        entry = deployment.BucketDeployment(
            self,
            "WidgetEntry",
            sources=[deployment.Source.asset(str(dist), exclude=["*", "!atelier-widget.js"])],
            destination_bucket=self.widget,
            destination_key_prefix="widget/",
            cache_control=[deployment.CacheControl.from_string(ENTRY_POINT)],
            prune=False,
            distribution=self.distribution,
            distribution_paths=["/widget/atelier-widget.js"],
        )
        entry.node.add_dependency(chunks)
