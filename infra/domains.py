"""Optional custom domains, from CDK context (they add resources, so not parameters):

    -c api_domain=api.example.com -c api_certificate_arn=arn:aws:acm:<region>:…
    -c cdn_domain=cdn.example.com -c cdn_certificate_arn=arn:aws:acm:us-east-1:…

The API's certificate lives in the stack's region, CloudFront's in us-east-1 (as AWS
requires); both are issued and validated in ACM beforehand. Without them the stack uses
the AWS-provided names. The DNS records (CNAME to the outputs) are the operator's.
"""

from __future__ import annotations

from dataclasses import dataclass

from constructs import Node


@dataclass(frozen=True)
class CustomDomain:
    name: str
    certificate_arn: str


@dataclass(frozen=True)
class Domains:
    api: CustomDomain | None = None
    cdn: CustomDomain | None = None

    @classmethod
    def from_context(cls, node: Node) -> Domains:
        def one(prefix: str) -> CustomDomain | None:
            name = node.try_get_context(f"{prefix}_domain")
            arn = node.try_get_context(f"{prefix}_certificate_arn")
            if not name and not arn:
                return None
            if not (name and arn):
                raise ValueError(f"-c {prefix}_domain and -c {prefix}_certificate_arn go together")
            if prefix == "cdn" and ":us-east-1:" not in str(arn):
                raise ValueError("CloudFront certificates must be in us-east-1")
            return CustomDomain(str(name), str(arn))

        return cls(api=one("api"), cdn=one("cdn"))
