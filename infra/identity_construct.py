"""Who may call and who gets mail: the Cognito user pool of brand users and the SES
identity transactional email is sent from.

Brand users are invited by an operator (no self sign-up), carry their tenant in the
immutable `custom:brand_id` attribute and their roles as pool groups; their ID tokens are
what the brand authorizer verifies (issuer and audience below).
"""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_iam as iam
from aws_cdk import aws_ses as ses
from constructs import Construct

from atelier.auth.principal import Role


class IdentityConstruct(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage: str,
        console_urls: list[str],
        email_domain: str,
    ) -> None:
        super().__init__(scope, construct_id)
        self.user_pool = cognito.UserPool(
            self,
            "BrandUsers",
            user_pool_name=f"atelier-{stage}-brand-users",
            self_sign_up_enabled=False,
            sign_in_aliases=cognito.SignInAliases(email=True),
            standard_attributes=cognito.StandardAttributes(
                email=cognito.StandardAttribute(required=True, mutable=True)
            ),
            custom_attributes={"brand_id": cognito.StringAttribute(mutable=False, max_len=64)},
            mfa=cognito.Mfa.REQUIRED,
            mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=False),
            password_policy=cognito.PasswordPolicy(
                min_length=12,
                require_digits=True,
                require_lowercase=True,
                require_uppercase=True,
                require_symbols=True,
                temp_password_validity=Duration.days(3),
            ),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            feature_plan=cognito.FeaturePlan.PLUS,
            standard_threat_protection_mode=cognito.StandardThreatProtectionMode.FULL_FUNCTION,
            deletion_protection=stage == "prod",
            removal_policy=RemovalPolicy.RETAIN if stage == "prod" else RemovalPolicy.DESTROY,
        )
        for role in Role:
            cognito.CfnUserPoolGroup(
                self,
                f"Group{role.value.title()}",
                user_pool_id=self.user_pool.user_pool_id,
                group_name=role.value,
                description=f"Brand users with the {role.value} role",
            )
        self.client = self.user_pool.add_client(
            "Console",
            user_pool_client_name="atelier-console",
            generate_secret=False,  # a browser app cannot keep one
            auth_flows=cognito.AuthFlow(user_srp=True),
            o_auth=cognito.OAuthSettings(
                flows=cognito.OAuthFlows(authorization_code_grant=True),
                scopes=[cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL],
                callback_urls=console_urls,
                logout_urls=console_urls,
            ),
            id_token_validity=Duration.hours(1),
            access_token_validity=Duration.hours(1),
            refresh_token_validity=Duration.days(30),
            prevent_user_existence_errors=True,
            # The brand id is set by operators only: clients may not write it.
            write_attributes=cognito.ClientAttributes().with_standard_attributes(email=True),
        )
        self.issuer = (
            f"https://cognito-idp.{Stack.of(self).region}.amazonaws.com/"
            f"{self.user_pool.user_pool_id}"
        )
        self.email_identity = ses.EmailIdentity(
            self, "MailDomain", identity=ses.Identity.domain(email_domain)
        )
        self.email_from = f"Atelier <no-reply@{email_domain}>"
        self.email_identity_arn = Stack.of(self).format_arn(
            service="ses", resource="identity", resource_name=email_domain
        )

    def environment(self) -> dict[str, str]:
        return {
            "ATELIER_JWT_ISSUER": self.issuer,
            "ATELIER_JWT_AUDIENCE": self.client.user_pool_client_id,
        }

    def send_email_statement(self) -> iam.PolicyStatement:
        return iam.PolicyStatement(
            actions=["ses:SendEmail", "ses:SendRawEmail"], resources=[self.email_identity_arn]
        )
