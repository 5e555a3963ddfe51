"""API key format and hashing; local brand tokens carry the same claims as Cognito's."""

from __future__ import annotations

import time

import jwt
import pytest

from atelier.auth.authorizers import brand_principal, policy
from atelier.auth.keys import KeyKind, generate_key, hash_key, kind_of
from atelier.auth.principal import Principal, PrincipalKind, Role
from atelier.auth.tokens import issue_local_token, verify_token
from atelier.errors import Forbidden, Unauthorized
from atelier.settings import get_settings

KEY = "local-test-signing-key-0123456789abcdef"


@pytest.fixture(autouse=True)
def local_issuer(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ATELIER_JWT_SIGNING_KEY", KEY)
    monkeypatch.delenv("ATELIER_JWT_ISSUER", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_generated_keys_are_random_prefixed_and_stored_hashed():
    a, b = generate_key(KeyKind.PUBLISHABLE), generate_key(KeyKind.SECRET)
    assert a.secret.startswith("pk_") and b.secret.startswith("sk_")
    assert kind_of(a.secret) is KeyKind.PUBLISHABLE and kind_of(b.secret) is KeyKind.SECRET
    assert a.key_hash == hash_key(a.secret) != hash_key(b.secret)
    assert a.secret not in a.key_hash and a.prefix == a.secret[:11]
    assert len({generate_key(KeyKind.PUBLISHABLE).secret for _ in range(100)}) == 100
    assert kind_of("pk_short") is None and kind_of("xx_" + "a" * 40) is None


def test_local_token_round_trip_gives_the_principal():
    token = issue_local_token(brand_id="brand1", subject="user1", roles=[Role.EDITOR])
    principal = verify_token(token)
    assert principal == Principal(
        kind=PrincipalKind.USER, brand_id="brand1", subject="user1", roles=frozenset({Role.EDITOR})
    )
    assert principal.has_role(Role.VIEWER) and not principal.has_role(Role.ADMIN)
    with pytest.raises(Forbidden):
        principal.require(Role.ADMIN)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda c: {**c, "exp": int(time.time()) - 10},
        lambda c: {**c, "iss": "someone-else"},
        lambda c: {k: v for k, v in c.items() if k != "custom:brand_id"},
    ],
    ids=["expired", "foreign-issuer", "no-brand"],
)
def test_bad_tokens_are_unauthorized(mutate):
    good = jwt.decode(
        issue_local_token(brand_id="b", subject="u", roles=[Role.ADMIN]),
        options={"verify_signature": False},
    )
    token = jwt.encode(mutate(good), KEY, algorithm="HS256")
    with pytest.raises(Unauthorized):
        verify_token(token)


def test_token_signed_with_another_key_is_unauthorized():
    token = issue_local_token(brand_id="b", subject="u", roles=[], key="not-the-key-" + "x" * 30)
    with pytest.raises(Unauthorized):
        brand_principal({"Authorization": f"Bearer {token}"})


def test_publishable_keys_never_open_brand_routes():
    with pytest.raises(Unauthorized):
        brand_principal({"Authorization": "Bearer " + generate_key(KeyKind.PUBLISHABLE).secret})


def test_policy_allows_the_whole_api_and_carries_the_context():
    principal = Principal(PrincipalKind.WIDGET, "brand1", "key1", origin="https://shop.example")
    result = policy(principal, "arn:aws:execute-api:eu-west-1:123:api1/prod/GET/api/v1/specs/x")
    [statement] = result["policyDocument"]["Statement"]
    assert statement["Resource"] == "arn:aws:execute-api:eu-west-1:123:api1/prod/*/*"
    assert Principal.from_context(result["context"]) == principal
